# ruff: noqa: E501 - message templates are data; one message per line reads best
"""Write the team's example messages (Khmer, Korean, English) from templates.

Run: ``python classifier/data/team/build.py``. It rewrites ``{train,test}_{km,ko,en}.csv``
beside this file. Test rows come from templates that are NOT used for training, so the
test sets measure generalisation, not memory. More hand-written rows can go into extra
files named ``train_<lang>_<anything>.csv`` / ``test_<lang>_<anything>.csv``; the loader
reads every file that matches.

The messages are invented; any phone number, account, link or name is made up.
"""

from __future__ import annotations

import csv
import random
import string
from pathlib import Path

HERE = Path(__file__).parent

# --- slot values --------------------------------------------------------------------------

KH_BANKS = ["ABA", "ACLEDA", "Wing", "Canadia", "Prince Bank", "Sathapana"]
KR_BANKS = ["KB국민은행", "신한은행", "우리은행", "하나은행", "NH농협", "카카오뱅크", "토스뱅크"]
EN_BANKS = ["ABA Bank", "ACLEDA Bank", "Wing Bank", "Canadia Bank", "Chase", "HSBC", "Barclays"]
KH_NAMES = ["សុខ ដារ៉ា", "ចាន់ សុភា", "ហេង វិចិត្រ", "លីម ស្រីនាង", "កែវ បុប្ផា", "ម៉ៅ រតនា"]
KR_NAMES = ["김민준", "이서연", "박지훈", "최수아", "정우진", "강하은"]
EN_NAMES = ["Dara", "Sophea", "Mike", "Anna", "James", "Linda", "Tom"]
TLDS = ["xyz", "top", "vip", "cc", "icu", "online", "site", "shop", "info", "live", "cyou", "sbs"]


def _rand_domain(rng: random.Random, stems: list[str]) -> str:
    stem = rng.choice(stems)
    extra = rng.choice(["", "-kh", "-kr", "-secure", "-verify", "-app", "24", "-online", "-help", "-pay"])
    return f"{stem}{extra}.{rng.choice(TLDS)}"


def _url(rng: random.Random, stems: list[str]) -> str:
    dom = _rand_domain(rng, stems)
    path = rng.choice(["", "/login", "/verify", "/kh", "/m", "/a/" + _token(rng, 5), "/?id=" + _token(rng, 6)])
    scheme = rng.choice(["http://", "https://", "", "hxxps://"])
    return f"{scheme}{dom}{path}"


def _token(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def _kh_phone(rng: random.Random) -> str:
    prefix = rng.choice(["012", "017", "070", "096", "097", "088", "010", "015", "069"])
    return f"{prefix} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _kr_phone(rng: random.Random) -> str:
    return f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def _tg(rng: random.Random) -> str:
    return "@" + rng.choice(["hr", "job", "boss", "manager", "support", "vip", "agent", "kh"]) + "_" + _token(rng, 5)


def slots(rng: random.Random) -> dict[str, str]:
    """Draw one set of slot values."""
    return {
        "kh_bank": rng.choice(KH_BANKS),
        "kr_bank": rng.choice(KR_BANKS),
        "en_bank": rng.choice(EN_BANKS),
        "kh_name": rng.choice(KH_NAMES),
        "kr_name": rng.choice(KR_NAMES),
        "en_name": rng.choice(EN_NAMES),
        "bank_url": _url(rng, ["aba-bank", "ababank-kh", "acleda-online", "wingbank", "canadia-bank", "bakong-nbc"]),
        "kr_bank_url": _url(
            rng, ["kbstar-bank", "shinhan-card", "woori-bank", "hana-bank", "nh-bank", "kakaobank-app", "toss-pay"]
        ),
        "parcel_url": _url(
            rng, ["cj-kr", "cjlogistics-kr", "epost-kr", "koreapost", "kh-post", "jnt-express", "dhl-track"]
        ),
        "gov_url": _url(rng, ["police-go-kr", "spo-go-kr", "fss-kr", "gov-kh", "gov24-kr", "hometax-kr"]),
        "invest_url": _url(
            rng, ["usdt-mining", "tron-earn", "binance-vip", "coin-profit", "metamask-wallet", "fx-trade"]
        ),
        "prize_url": _url(rng, ["lucky-draw", "prize-claim", "gift-reward", "spin-win", "event-kh", "event-kr"]),
        "short_url": rng.choice(["bit.ly/", "tinyurl.com/", "me2.do/", "han.gl/", "cutt.ly/"]) + _token(rng, 6),
        "apk_url": f"http://{_rand_domain(rng, ['bank-app', 'police-app', 'secure-app', 'delivery-app'])}/{rng.choice(['app', 'update', 'security', 'kb', 'aba'])}.apk",
        "kh_phone": _kh_phone(rng),
        "kr_phone": _kr_phone(rng),
        "tg": _tg(rng),
        "code": str(rng.randint(100000, 999999)),
        "last4": str(rng.randint(1000, 9999)),
        "usd_small": str(rng.choice([5, 10, 15, 20, 25, 30, 50, 75, 120, 250])),
        "usd_fee": str(rng.choice([30, 50, 80, 100, 150, 200, 300])),
        "usd_salary": str(rng.choice([1500, 1800, 2000, 2500, 3000, 3500, 4000])),
        "usd_ok_salary": str(rng.choice([250, 300, 350, 400, 450, 500, 600])),
        "krw_small": f"{rng.choice([1, 2, 3, 5, 12, 25, 38])},{rng.choice(['000', '500', '900'])}",
        "krw_man": str(rng.choice([50, 100, 200, 300, 500, 800, 1000])),
        "krw_salary": str(rng.choice([600, 800, 1000, 1200, 1500])),
        "pct": str(rng.choice([3, 5, 8, 10, 15, 20, 30])),
        "hour": str(rng.choice([2, 3, 6, 12, 24])),
        "time": f"{rng.randint(8, 18)}:{rng.choice(['00', '15', '30', '45'])}",
        "day": str(rng.randint(1, 28)),
        "month": str(rng.randint(1, 12)),
        "track": f"{rng.randint(100000000, 999999999)}{rng.randint(100, 999)}",
        "acct": f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
        "kr_acct": f"{rng.randint(100000, 999999)}-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
        "wallet": "T"
        + "".join(rng.choice("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz") for _ in range(33)),
        "country": rng.choice(["Thailand", "Myanmar", "Laos", "Dubai", "Malaysia"]),
        "km_country": rng.choice(["ថៃ", "មីយ៉ាន់ម៉ា", "ឡាវ", "ម៉ាឡេស៊ី", "ឌូបៃ"]),
        "ko_country": rng.choice(["캄보디아", "태국", "미얀마", "라오스", "베트남"]),
        "km_place": rng.choice(["ក្រុងព្រះសីហនុ", "បាវិត", "ប៉ោយប៉ែត", "ភ្នំពេញ"]),
        "km_city": rng.choice(["ភ្នំពេញ", "សៀមរាប", "បាត់ដំបង", "កំពង់ចាម", "តាកែវ"]),
        "ko_city": rng.choice(["서울", "부산", "인천", "대구", "광주", "프놈펜", "시엠립"]),
        "en_city": rng.choice(["Phnom Penh", "Siem Reap", "Battambang", "Kampot", "Seoul"]),
        "company": rng.choice(
            [
                "Angkor Trading Co., Ltd.",
                "Mekong Logistics",
                "Sunrise Garment Factory",
                "Smart Axiata",
                "Khmer Brewery",
                "Lotus Hotel",
            ]
        ),
        "km_company": rng.choice(["ក្រុមហ៊ុន អង្គរ ត្រេឌីង", "រោងចក្រកាត់ដេរ សាន់រ៉ាយ", "សណ្ឋាគារ ឡូតុស", "ក្រុមហ៊ុន មេគង្គ ឡូជីស្ទិក"]),
        "ko_company": rng.choice(["(주)한빛물류", "대성전자", "서울식품", "미래건설", "한국어학원", "프놈펜 한인마트"]),
        "email": rng.choice(
            [
                "hr@angkortrading.com.kh",
                "jobs@mekonglogistics.com",
                "recruit@sunrisegarment.com.kh",
                "career@lotushotel.com.kh",
            ]
        ),
        "item": rng.choice(["iPhone 15", "Honda Dream", "Toyota Prius", "Samsung TV", "gold necklace"]),
        "km_item": rng.choice(["ទូរស័ព្ទ iPhone 15", "ម៉ូតូ Honda Dream", "រថយន្ត Toyota", "ទូរទស្សន៍ Samsung", "ខ្សែកមាស"]),
        "ko_item": rng.choice(["아이폰 15", "갤럭시 S24", "신세계 상품권 50만원", "에어팟", "스타벅스 기프티콘"]),
    }


# --- templates ----------------------------------------------------------------------------
# (text, label, scam_type); scam_type "" for ham.

EN_TRAIN = [
    (
        "{en_bank}: Your account has been suspended due to unusual activity. Verify your details within {hour} hours at {bank_url} to avoid permanent closure.",
        "scam",
        "phishing",
    ),
    (
        "Dear customer, your {en_bank} card is blocked. Please login at {bank_url} and confirm your card details to unblock.",
        "scam",
        "phishing",
    ),
    (
        "ALERT: a new device logged into your {en_bank} mobile banking. If this was not you, cancel immediately: {short_url}",
        "scam",
        "phishing",
    ),
    (
        "Hi, this is {en_bank} security team. We sent you a 6 digit code, please send me the code so we can stop the fraud transaction.",
        "scam",
        "phishing",
    ),
    ("Your Bakong wallet will be deactivated today. Update your KYC here {bank_url}", "scam", "phishing"),
    (
        "URGENT JOB: Customer service staff needed in {country}. Salary ${usd_salary}/month, free flight and accommodation, no experience needed. Contact telegram {tg}",
        "scam",
        "trafficking",
    ),
    (
        "Hiring now! Work in Sihanoukville, high salary ${usd_salary} per month, company pays travel and keeps your passport safe. Tourist visa is fine. DM {tg}",
        "scam",
        "trafficking",
    ),
    (
        "Online typing job, work from your phone, earn ${usd_small} per day. No interview. Pay ${usd_fee} registration fee to start. WhatsApp {kh_phone}",
        "scam",
        "job_offer",
    ),
    (
        "We are looking for part-time staff to like videos and write reviews. Earn ${usd_small} daily. Join our telegram t.me/{tg}",
        "scam",
        "job_offer",
    ),
    (
        "Job offer: marketing assistant in {country}, ${usd_salary} monthly, visa and ticket provided, contact only via telegram {tg}",
        "scam",
        "trafficking",
    ),
    (
        "Invest ${usd_fee} today and get {pct}% daily profit guaranteed! Withdraw anytime. Join our VIP signal group: {invest_url}",
        "scam",
        "investment",
    ),
    (
        "USDT mining pool: risk-free passive income, {pct}% per day. Deposit to TRC20 wallet {wallet}",
        "scam",
        "investment",
    ),
    (
        "My uncle works at the exchange, he gives insider tips. Put $500 in this platform {invest_url} and you will double your money in a week.",
        "scam",
        "investment",
    ),
    (
        "Hello dear, I am a doctor working in Syria. I fell in love with your profile. I need ${usd_fee} to pay for my leave so I can come to see you.",
        "scam",
        "romance",
    ),
    (
        "Baby I miss you so much. My shipment of gold is stuck at customs, can you send ${usd_fee} for the clearance fee? I will pay you back double when I arrive.",
        "scam",
        "romance",
    ),
    (
        "{en_name}, I want to marry you. Please send me gift cards, Google Play cards are fine, I will explain later. Don't tell your family yet.",
        "scam",
        "romance",
    ),
    (
        "Your parcel is on hold due to an incomplete address. Please update your address and pay a redelivery fee of ${usd_small}: {parcel_url}",
        "scam",
        "parcel",
    ),
    ("DHL: Package {track} could not be delivered. Reschedule delivery here: {parcel_url}", "scam", "parcel"),
    (
        "Your package is held at customs. Pay the customs duty of ${usd_small} within 24 hours or it will be returned: {short_url}",
        "scam",
        "parcel",
    ),
    (
        "Instant loan approved! Get ${usd_salary} today, no credit check. Pay ${usd_small} processing fee first. Call {kh_phone}",
        "scam",
        "loan",
    ),
    (
        "Need money fast? Low interest loan without collateral, approved in 5 minutes. Download our app {apk_url}",
        "scam",
        "loan",
    ),
    (
        "Congratulations! You have won a {item} in our lucky draw. Claim your prize now at {prize_url}",
        "scam",
        "lottery",
    ),
    (
        "WINNER! Your number was selected to receive $5000 cash reward. To claim, pay ${usd_small} delivery fee to account {acct}.",
        "scam",
        "lottery",
    ),
    (
        "I have a video of you from your webcam. Send $500 in bitcoin or I will share it with all your contacts.",
        "scam",
        "sextortion",
    ),
    (
        "We recorded our video call. Pay ${usd_fee} to this account {acct} today or the video goes to your family and Facebook friends.",
        "scam",
        "sextortion",
    ),
    (
        "This is the police cyber crime unit. Your bank account is involved in a money laundering case. Transfer your savings to a safe account for checking.",
        "scam",
        "impersonation",
    ),
    (
        "Officer from the immigration department: your visa has a problem and you face arrest. Pay the fine now by bank transfer to {acct}.",
        "scam",
        "impersonation",
    ),
    (
        "This is tax office. You owe unpaid tax. Install AnyDesk so our officer can help you pay it, do not tell the bank staff.",
        "scam",
        "impersonation",
    ),
    (
        "Hi mum, I broke my phone, this is my new number. Can you send ${usd_fee} to my friend's account {acct}? It's urgent, I'll explain later.",
        "scam",
        "impersonation",
    ),
    (
        "Hi Dad, it's me. I'm using a friend's phone. I need money for the hospital urgently, please transfer to this account and don't tell anyone.",
        "scam",
        "impersonation",
    ),
    (
        "USPS: Your package has arrived at the warehouse but cannot be delivered due to incomplete address information. Please confirm your address in the link within 12 hours: {parcel_url}",
        "scam",
        "parcel",
    ),
    (
        "Toll Services: You have an unpaid toll balance of ${usd_small}.35. To avoid a late fee, settle your balance today at {short_url}",
        "scam",
        "phishing",
    ),
    (
        "Dear customer, your KYC has expired and your account will be blocked today. Update your PAN and Aadhaar details here: {bank_url}",
        "scam",
        "phishing",
    ),
    (
        "Netflix: your payment was declined and your membership is on hold. Update your card details at {short_url} to keep watching.",
        "scam",
        "phishing",
    ),
    (
        "Amazon: an order of ${usd_fee}.99 for an {item} was placed from your account. If this was not you, call our support at {kh_phone} immediately.",
        "scam",
        "phishing",
    ),
    (
        "IRS notice: you are eligible for a tax refund of ${usd_fee}.00. Submit your bank details to receive it: {gov_url}",
        "scam",
        "impersonation",
    ),
    (
        "Hello, I got your number from a recruiter. We offer remote part-time jobs, 60-90 minutes a day, ${usd_small}0-${usd_fee}0 daily. Are you interested? Reply YES on WhatsApp.",
        "scam",
        "job_offer",
    ),
    (
        "Sorry, wrong number! By the way, I am a crypto investor, I can teach you how I make ${usd_fee}0 a week with a trading app. Want to try?",
        "scam",
        "investment",
    ),
    ("Your Amazon order #{track} has shipped and will arrive on Thursday. Track it in the app.", "ham", ""),
    ("Netflix: your monthly payment was successful. Thanks for being a member.", "ham", ""),
    (
        "Your toll account was charged $3.50 on {day}/{month}. View your statement in the app. Do not reply to this message.",
        "ham",
        "",
    ),
    # ham
    (
        "Payment of USD {usd_small}.00 to {company} was successful on {day}/{month}. Ref {track}. Thank you for using {en_bank}.",
        "ham",
        "",
    ),
    (
        "{en_bank}: USD {usd_small}.00 was debited from your account ***{last4} at {time}. If you did not make this payment, call the number on the back of your card.",
        "ham",
        "",
    ),
    ("Your Wing account received KHR 40,000 from {en_name}. Balance available in the app.", "ham", ""),
    (
        "{en_bank} reminds you: we will never ask for your PIN, password or OTP by phone, SMS or Telegram. Never share them with anyone.",
        "ham",
        "",
    ),
    (
        "Notice: our office will be closed on {day}/{month} for the public holiday. We will reopen the next day at 8am.",
        "ham",
        "",
    ),
    (
        "The National Bank of Cambodia warns the public about fake links using its name. Use only official bank apps.",
        "ham",
        "",
    ),
    (
        "Your one-time password for the tax portal is {code}. It expires in 5 minutes. Do not share it with anyone.",
        "ham",
        "",
    ),
    (
        "Your {en_bank} verification code is {code}. Never share this code with anyone, our staff will never ask for it.",
        "ham",
        "",
    ),
    (
        "{en_bank}: You received USD {usd_small}.00 from {en_name} on {day}/{month} at {time}. Available balance USD 1,2{last4}.50.",
        "ham",
        "",
    ),
    (
        "{en_bank} will perform system maintenance on Sunday from 00:00 to 04:00. Mobile banking may be unavailable. We apologise for the inconvenience.",
        "ham",
        "",
    ),
    (
        "Reminder: your loan repayment of ${usd_small} is due on {day}/{month}. Please pay at any branch or in the app. Thank you.",
        "ham",
        "",
    ),
    (
        "{company} is hiring an accountant in {en_city}. Salary ${usd_ok_salary}-${usd_ok_salary}0 depending on experience. Send your CV to {email} before {day}/{month}.",
        "ham",
        "",
    ),
    (
        "Thank you for your application to {company}. Your interview is on {day}/{month} at {time} at our office. Please bring your ID card and CV.",
        "ham",
        "",
    ),
    ("Hey {en_name}, are we still meeting for coffee at {time}? I'll be a bit late, traffic is bad.", "ham", ""),
    ("Can you pick up some rice and eggs on the way home? Thanks!", "ham", ""),
    ("Happy birthday {en_name}! Wishing you a wonderful year ahead.", "ham", ""),
    ("The meeting has moved to room 3 at {time}. Please bring the sales report.", "ham", ""),
    (
        "J&T Express: your parcel {track} will be delivered today between 2pm and 5pm. The driver will call you.",
        "ham",
        "",
    ),
    ("Your order has been shipped and will arrive in 2-3 days. Thank you for shopping with us.", "ham", ""),
    (
        "The Embassy reminds citizens to renew passports at least 6 months before expiry. Appointments can be made at the consular section.",
        "ham",
        "",
    ),
    (
        "Warning from the Ministry: do not trust job offers that promise high salaries abroad and ask you to hand over your passport. Report scams to the police.",
        "ham",
        "",
    ),
    ("Mom, I arrived safely. The bus was late but everything is fine. Call you tonight.", "ham", ""),
    ("Don't forget the school trip on Friday. Students should bring lunch and water.", "ham", ""),
    (
        "Your electricity bill for this month is ready. Please pay at the EDC office or through your bank app before the due date.",
        "ham",
        "",
    ),
    ("Sorry I missed your call, I was in class. What's up?", "ham", ""),
    ("Our restaurant is open again from Monday. Come and try the new menu, 10% off for families this week.", "ham", ""),
    ("Lol that movie was so bad. Next time you choose.", "ham", ""),
    ("I transferred ${usd_small} for the dinner, check your account.", "ham", ""),
    (
        "Police advise: never send money to people who say they are officers on the phone. Call 117 if you are unsure.",
        "ham",
        "",
    ),
    (
        "Job fair at the National Institute this Saturday. Over 50 companies, free entry, bring copies of your CV.",
        "ham",
        "",
    ),
    ("Grandma wants everyone at home for Pchum Ben. Can you come on Sunday?", "ham", ""),
    ("Your appointment at the clinic is confirmed for {day}/{month} at {time}. Reply C to cancel.", "ham", ""),
]

EN_TEST = [
    (
        "Security notice from {en_bank}: unusual sign-in detected. Confirm your identity at {bank_url} or your account will be locked.",
        "scam",
        "phishing",
    ),
    (
        "{en_bank} reward points expire today! Redeem them now: {short_url} Enter your card number and PIN to receive the cash.",
        "scam",
        "phishing",
    ),
    (
        "We need staff for an online casino company in {country}. Monthly pay ${usd_salary}, flights paid, we keep passport for visa processing. Text {tg} on Telegram.",
        "scam",
        "trafficking",
    ),
    (
        "Easy job! Simple tasks on your phone, earn ${usd_small} a day. First pay a ${usd_fee} training fee. Details on telegram {tg}",
        "scam",
        "job_offer",
    ),
    (
        "Crypto expert here. Our AI trading bot makes {pct}% per day, profit guaranteed. Start with $100 at {invest_url}",
        "scam",
        "investment",
    ),
    (
        "Sweetheart, my bank account is frozen while I am abroad. Please send ${usd_fee} in USDT to {wallet}, I will repay you when I land.",
        "scam",
        "romance",
    ),
    (
        "Korea Post: we attempted to deliver your item but the address is incomplete. Confirm your address: {parcel_url}",
        "scam",
        "parcel",
    ),
    (
        "Government loan program: borrow ${usd_salary} at 0% interest. Registration fee ${usd_small} is required before the money is released.",
        "scam",
        "loan",
    ),
    (
        "You are the lucky winner of a {item}! Reply with your name and pay ${usd_small} shipping to claim your reward.",
        "scam",
        "lottery",
    ),
    (
        "I hacked your phone and saw everything. Pay $300 in bitcoin within 48 hours or your private photos go public.",
        "scam",
        "sextortion",
    ),
    (
        "Prosecutor's office: a case has been opened under your name. Keep this confidential and move your money to the secure account we give you.",
        "scam",
        "impersonation",
    ),
    (
        "Hello, I'm from {en_bank} support. To fix your app we need remote access, please install TeamViewer and read me the code.",
        "scam",
        "impersonation",
    ),
    (
        "Your code for {en_bank} login is {code}. If you did not request it, ignore this message. Do not share it with anyone.",
        "ham",
        "",
    ),
    ("Payment of USD {usd_small}.00 to Lucky Supermarket was successful. Ref {track}.", "ham", ""),
    (
        "Vacancy: {company} needs 2 sales staff in {en_city}. Salary ${usd_ok_salary} plus commission. Interview at our office, apply with CV at {email}.",
        "ham",
        "",
    ),
    ("Hi {en_name}, the plumber will come tomorrow morning. Can you be home at 9?", "ham", ""),
    ("Your package from the online shop is at the post office counter. Bring your ID to collect it.", "ham", ""),
    (
        "Consular notice: the embassy will be closed on Monday for a public holiday. For emergencies call the duty officer.",
        "ham",
        "",
    ),
    ("See you at the wedding on Saturday! Don't forget to bring the gift.", "ham", ""),
    ("Your mobile top-up of $5 was successful. Thank you for using our service.", "ham", ""),
    ("Class is cancelled tomorrow, the teacher is sick. We'll make it up next week.", "ham", ""),
    ("Tips from your bank: we will never ask for your PIN or OTP by phone or message. Stay safe.", "ham", ""),
]

KO_TRAIN = [
    (
        "[Web발신] [CJ대한통운] 고객님의 택배가 주소불명으로 보관중입니다. 주소 확인 부탁드립니다 {parcel_url}",
        "scam",
        "parcel",
    ),
    ("[우체국] 운송장번호 {track} 주소지 불명으로 반송 예정입니다. 주소 수정: {short_url}", "scam", "parcel"),
    ("[Web발신] 해외직구 통관 보류. 관세 {krw_small}원 미납으로 반송예정, 확인: {parcel_url}", "scam", "parcel"),
    (
        "[국외발신] {kr_bank} 고객님 계좌가 이상거래로 정지되었습니다. 본인인증 후 해제 가능합니다 {kr_bank_url}",
        "scam",
        "phishing",
    ),
    (
        "[Web발신] 고객님 카드가 해외에서 {krw_man}만원 결제되었습니다. 본인이 아닐 경우 즉시 신고 {kr_phone}",
        "scam",
        "phishing",
    ),
    (
        "[토스] 고객님 명의로 새로운 기기에서 로그인 되었습니다. 본인이 아니면 {short_url} 에서 차단하세요",
        "scam",
        "phishing",
    ),
    (
        "엄마 나 폰 액정 깨져서 수리 맡겼어. 이 번호로 문자해. 급하게 {krw_man}만원만 보내줄 수 있어? 계좌는 {kr_bank} {kr_acct}",
        "scam",
        "impersonation",
    ),
    ("아빠 나야 폰 고장나서 친구 폰으로 연락해. 인증번호 보내줄 테니까 알려줘. 급해", "scam", "impersonation"),
    (
        "여보세요, 서울중앙지검 첨단범죄수사부 {kr_name} 수사관입니다. 고객님 명의로 대포통장이 개설되어 범죄에 연루되었습니다. 조사를 위해 자금을 안전계좌로 이체하셔야 합니다. 이 사실은 외부에 발설하시면 안 됩니다.",
        "scam",
        "impersonation",
    ),
    (
        "네 금융감독원입니다. 고객님 계좌가 보이스피싱에 이용되어 자산 보호 조치가 필요합니다. 팀뷰어 앱을 설치해 주시면 저희가 확인해 드리겠습니다.",
        "scam",
        "impersonation",
    ),
    (
        "경찰청 사이버수사대입니다. 명의도용 사건번호 {track} 관련 출석 요구서가 발송되었습니다. 확인: {gov_url}",
        "scam",
        "impersonation",
    ),
    (
        "[정부지원] 저금리 대환대출 특별 한도 승인 안내. 최대 {krw_man}00만원, 신용등급 상관없이 가능. 상담 {kr_phone}",
        "scam",
        "loan",
    ),
    ("햇살론 대상자로 선정되셨습니다. 대출 실행 전 보증보험료 {krw_man}만원 선납이 필요합니다.", "scam", "loan"),
    ("[코인 리딩방] 원금 보장, 하루 수익률 {pct}% 확정! 지금 참여하세요 {invest_url}", "scam", "investment"),
    (
        "주식 급등주 무료 추천. VIP 리딩방 입장하면 월 수익 300% 보장. 오픈카톡 open.kakao.com/o/{last4}abcd",
        "scam",
        "investment",
    ),
    ("테더(USDT) 투자하면 매일 {pct}% 수익 지급됩니다. 출금하려면 출금 수수료 먼저 입금하세요.", "scam", "investment"),
    (
        "캄보디아 고수익 알바 모집! 월 {krw_salary}만원 이상, 항공권 제공, 숙식 제공, 경력무관. 텔레그램 {tg}",
        "scam",
        "trafficking",
    ),
    (
        "해외취업 단기 고수익. 프놈펜 콜센터 상담원, 여권은 회사에서 보관, 관광비자로 입국. 텔레 연락 주세요",
        "scam",
        "trafficking",
    ),
    (
        "[채용] 시아누크빌 카지노 마케팅팀 모집, 월급 {krw_salary}만원, 비행기표 제공. 자세한 내용은 텔레그램 {tg}",
        "scam",
        "trafficking",
    ),
    (
        "재택 부업, 쇼핑몰 리뷰 작성만 하면 건당 {krw_small}원. 단순업무, 초보가능. 가입비 5만원 먼저 입금",
        "scam",
        "job_offer",
    ),
    ("유튜브 좋아요 누르기 알바, 하루 10만원 보장. 카톡 문의 주세요", "scam", "job_offer"),
    (
        "축하합니다! 이벤트 당첨되셨습니다. {ko_item} 수령을 위해 배송비 {krw_small}원을 입금해주세요 {prize_url}",
        "scam",
        "lottery",
    ),
    (
        "[Web발신] 고객님 로또 1등 당첨번호 사전 제공 서비스에 당첨되셨습니다. 가입비 입금 후 번호 발송",
        "scam",
        "lottery",
    ),
    (
        "오빠 나 한국에 가고 싶어. 비행기표 사려면 {krw_man}만원 필요한데 도와줄 수 있어? 도착하면 갚을게 사랑해",
        "scam",
        "romance",
    ),
    (
        "자기야 나 해외 파병 중이라 돈을 못 찾아. 상자 안에 금괴가 있는데 통관비만 보내주면 한국으로 보낼게",
        "scam",
        "romance",
    ),
    ("영상통화 녹화본 가지고 있습니다. {krw_man}만원 입금 안 하면 지인들한테 전부 뿌리겠습니다.", "scam", "sextortion"),
    ("몸캠 영상 유포 원치 않으면 오늘까지 문화상품권 핀번호 보내세요. 가족에게 알리지 마세요.", "scam", "sextortion"),
    ("[Web발신] {kr_bank} 보안 업데이트 필요. 보안앱 설치: {apk_url}", "scam", "phishing"),
    ("[건강보험공단] 건강검진 결과 통보서 확인 {short_url}", "scam", "phishing"),
    ("[민원24] 교통범칙금 미납 고지서가 발송되었습니다. 확인 {gov_url}", "scam", "impersonation"),
    # ham
    ("[{kr_bank}] 인증번호 [{code}] 타인에게 절대 알려주지 마세요.", "ham", ""),
    ("[Web발신] {kr_bank} {last4}** 입금 {krw_small}원 {kr_name} 잔액 1,2{last4},000원", "ham", ""),
    ("[CJ대한통운] 고객님의 상품이 오늘 14~16시 사이 배송 예정입니다. 배송기사 {kr_phone}", "ham", ""),
    ("[우체국택배] {month}월 {day}일 배달완료. 문 앞에 두었습니다.", "ham", ""),
    ("엄마 나 오늘 야근이라 늦어. 저녁 먼저 먹어", "ham", ""),
    ("내일 {time}에 회의실에서 봬요. 자료는 메일로 보냈습니다.", "ham", ""),
    ("생일 축하해 {kr_name}! 올해도 건강하고 행복하자", "ham", ""),
    ("주말에 캠핑 갈 사람? 토요일 아침 9시 출발 예정", "ham", ""),
    (
        "[주캄보디아 대한민국 대사관] 최근 고수익 해외취업 사기가 급증하고 있습니다. 여권을 맡기거나 관광비자로 취업하라는 제안은 거절하시고 대사관에 신고하세요.",
        "ham",
        "",
    ),
    (
        "[주캄보디아대사관] 영사민원실은 {month}월 {day}일 공휴일로 휴무합니다. 긴급 상황 시 영사콜센터로 연락 바랍니다.",
        "ham",
        "",
    ),
    (
        "{ko_company}에서 물류 사무직 직원을 채용합니다. 월급 250만원, 4대보험, 주5일. 이력서는 홈페이지로 접수해 주세요.",
        "ham",
        "",
    ),
    ("{kr_name}님, 서류 합격을 축하드립니다. 면접은 {month}월 {day}일 {time} 본사에서 진행됩니다.", "ham", ""),
    (
        "고용허가제(EPS) 한국어능력시험 접수 안내: 공식 기관을 통해서만 접수하세요. 브로커에게 돈을 주지 마세요.",
        "ham",
        "",
    ),
    ("[{kr_bank}] 고객님, 보이스피싱 주의! 검찰·금감원은 절대 계좌이체나 앱 설치를 요구하지 않습니다.", "ham", ""),
    ("이번 달 관리비 {krw_small}원이 자동이체 되었습니다.", "ham", ""),
    ("오늘 점심 김치찌개 어때? 12시에 1층에서 만나", "ham", ""),
    ("아들 밥 잘 챙겨 먹고 있지? 주말에 전화해", "ham", ""),
    ("[프놈펜 한인회] 이번 주 토요일 한인 체육대회가 열립니다. 많은 참여 바랍니다.", "ham", ""),
    ("주문하신 상품이 출고되었습니다. 내일 도착 예정입니다. 감사합니다.", "ham", ""),
    ("병원 예약이 {month}월 {day}일 {time}로 확정되었습니다. 변경은 전화로 문의하세요.", "ham", ""),
    (
        "여보세요? 응 엄마. 나 지금 버스 타고 가고 있어. 삼십 분 정도 걸릴 것 같아. 저녁은 뭐 먹어? 아 된장찌개 좋지. 알았어 이따 봐.",
        "ham",
        "",
    ),
    (
        "네 고객님, 주문하신 냉장고 설치 일정 때문에 연락드렸습니다. 이번 주 목요일 오후 두 시 괜찮으실까요? 네 그럼 그때 기사님이 방문하겠습니다.",
        "ham",
        "",
    ),
    (
        "어 {kr_name}아 오랜만이다. 요즘 어떻게 지내? 다음 주에 동창회 하는데 올 수 있어? 장소는 강남역 근처 고깃집이야.",
        "ham",
        "",
    ),
    ("택배 왔는데 경비실에 맡겨놨대. 퇴근할 때 찾아와", "ham", ""),
    # phone-call transcripts (voice phishing and ordinary calls)
    (
        "여보세요? 네 안녕하세요 고객님, {kr_bank} 대출 상담팀입니다. 고객님께서 정부지원 저금리 대환대출 대상자로 선정되셔서 연락드렸어요. 기존 대출이 있으시죠? 그걸 먼저 상환하셔야 저금리로 바꿔드릴 수 있어요. 제가 알려드리는 계좌로 상환금 입금해 주시면 바로 진행됩니다. 다른 은행에서 전화 와도 대출 얘기는 하지 마세요.",
        "scam",
        "loan",
    ),
    (
        "여보세요, {kr_bank} 보안팀입니다. 고객님 계좌에서 해외 이상거래가 감지되어서요. 지금 보내드리는 링크로 보안 앱 설치하시고, 문자로 받으신 인증번호 불러주시면 저희가 결제를 차단해 드리겠습니다. 통화 끊지 마시고 그대로 진행하세요.",
        "scam",
        "phishing",
    ),
    (
        "네 관세청 조사과입니다. 고객님 명의로 국제 택배가 통관 중에 적발됐는데 안에서 마약이 나왔습니다. 본인이 보낸 게 아니면 명의도용 피해자일 수 있으니 검찰 담당자 연결해 드릴게요. 사건번호 적어두시고 조사 끝날 때까지 주변에 알리지 마세요.",
        "scam",
        "impersonation",
    ),
    (
        "엄마! 엄마 나 사고 났어... 여보세요, 잘 들어. 당신 딸이 우리한테 빚이 있어. 경찰에 신고하면 딸 못 본다. 지금 당장 {krw_man}만원 준비해서 내가 말하는 계좌로 보내. 전화 끊지 마.",
        "scam",
        "impersonation",
    ),
    (
        "여보세요? 네 저는 프놈펜에서 한국 회사 운영하는 사람인데요, 지원하신 콜센터 자리 때문에 연락드렸어요. 월급은 {krw_salary}만원이고 비행기표랑 숙소 다 회사에서 해줘요. 오시면 여권은 비자 때문에 회사가 맡아 둘 거예요. 텔레그램으로 자세히 얘기해요.",
        "scam",
        "trafficking",
    ),
    (
        "여보세요 {kr_name} 선생님? 네 반갑습니다. 저희 투자 리딩방에서 이번에 특별히 선정되셔서요. 저희 애널리스트가 찍어주는 종목만 사시면 한 달에 30% 수익은 보장됩니다. 원금 손실 나면 저희가 다 보상해 드려요. 가입비만 먼저 입금하시면 됩니다.",
        "scam",
        "investment",
    ),
    (
        "여보세요? 네 {ko_company} 맞죠? 다음 주 금요일 저녁 일곱 시에 여섯 명 예약하려고요. 네 룸으로 부탁드려요. 이름은 {kr_name}이고 번호는 이걸로 남겨 주세요. 감사합니다.",
        "ham",
        "",
    ),
    (
        "여보세요? 네 {kr_bank}입니다. 신청하신 체크카드가 발급되어 안내 전화 드렸습니다. 가까운 영업점에 신분증 가지고 방문하시면 수령 가능하십니다. 저희는 전화로 비밀번호나 인증번호를 묻지 않습니다. 좋은 하루 보내세요.",
        "ham",
        "",
    ),
    (
        "택배입니다. 지금 댁에 계세요? 아 안 계시면 문 앞에 두고 갈게요. 사진 찍어서 문자로 보내드릴게요. 네 수고하세요.",
        "ham",
        "",
    ),
    (
        "어 팀장님, 네 {kr_name}입니다. 내일 거래처 미팅 자료는 오늘 저녁까지 정리해서 메일로 보내드릴게요. 네 그리고 출장 일정은 화요일로 확정됐습니다. 네 알겠습니다.",
        "ham",
        "",
    ),
    (
        "여보세요 병원이죠? 다음 주 월요일 오전 진료 예약 가능할까요? 아 열 시 반이요, 좋아요. 건강보험증 가져가면 되죠? 네 감사합니다.",
        "ham",
        "",
    ),
    (
        "야 오랜만이다! 잘 지냈어? 나 이번 달 말에 프놈펜 출장 가는데 시간 되면 밥 한번 먹자. 어 그래 도착하면 연락할게. 가족들도 잘 지내지?",
        "ham",
        "",
    ),
    ("카드 대금 {krw_small}원이 {month}월 {day}일 출금 예정입니다.", "ham", ""),
]

KO_TEST = [
    ("[국제발신] 고객님 택배가 통관 보류 중입니다. 개인통관고유부호 확인 필요: {parcel_url}", "scam", "parcel"),
    ("[한진택배] 주소가 불분명하여 배송이 불가합니다. 재배송 신청 {short_url}", "scam", "parcel"),
    ("[{kr_bank}] 비정상 접속 감지. 오늘 중 인증하지 않으면 모든 거래가 제한됩니다. {kr_bank_url}", "scam", "phishing"),
    (
        "엄마 나 휴대폰 잃어버려서 이 번호로 연락해. 문화상품권 좀 사서 핀번호 보내줄 수 있어? 급해서 그래",
        "scam",
        "impersonation",
    ),
    (
        "여보세요 {kr_name}씨 맞으시죠? 저는 검찰청 수사관입니다. 본인 명의 계좌가 금융범죄에 이용되어 구속영장이 청구될 수 있습니다. 지금 통화 내용은 녹취되고 있으니 주변에 알리지 마시고 안내하는 계좌로 자금을 옮기세요.",
        "scam",
        "impersonation",
    ),
    (
        "서울경찰청 지능범죄수사대입니다. 고객님 개인정보가 유출되어 확인이 필요합니다. 보안 앱 설치 링크를 보내드릴테니 설치하세요 {apk_url}",
        "scam",
        "impersonation",
    ),
    (
        "정부지원 소상공인 긴급 대출 대상입니다. 기존 대출 상환 후 저금리로 전환 가능, 먼저 입금하신 후 진행됩니다.",
        "scam",
        "loan",
    ),
    ("비트코인 선물 리딩, 원금보장 확정수익 월 {pct}0%. 무료 체험방 입장 {invest_url}", "scam", "investment"),
    (
        "프놈펜 고액알바, 한달 {krw_salary}만원, 숙소와 항공권 지원, 여권 제출 필수. 텔레그램 아이디 {tg}",
        "scam",
        "trafficking",
    ),
    ("집에서 휴대폰만 있으면 하루 5만원. 간단한 업무, 등록비 3만원 입금 후 시작", "scam", "job_offer"),
    ("고객님 이벤트 경품 {ko_item}에 당첨! 수령하려면 개인정보 입력 {prize_url}", "scam", "lottery"),
    ("당신 영상 다 가지고 있어. 코인으로 {krw_man}만원 보내면 삭제해줄게. 아무한테도 말하지 마", "scam", "sextortion"),
    (
        "자기야 해외에서 돌아가려면 비자 비용이 필요해. {krw_man}만원만 보내주면 다음 주에 만나러 갈게",
        "scam",
        "romance",
    ),
    ("[{kr_bank}] 인증번호 {code}를 입력해 주세요. 당행은 전화로 인증번호를 요구하지 않습니다.", "ham", ""),
    ("[Web발신] 체크카드 승인 {kr_name} {krw_small}원 일시불 {month}/{day} {time} 스타벅스", "ham", ""),
    ("[롯데택배] 상품이 배송 출발했습니다. 오늘 도착 예정입니다.", "ham", ""),
    ("[주캄보디아 대한민국 대사관] 여권 재발급 신청은 사전 예약 후 방문해 주시기 바랍니다.", "ham", ""),
    (
        "{ko_company} 현지 직원 모집: 한국어 가능자, 월 800달러, 근무지 프놈펜, 이메일로 이력서 제출. 면접 후 채용.",
        "ham",
        "",
    ),
    ("여보세요? 어 아빠. 지금 회사 끝났어. 주말에 집에 갈게요. 엄마한테도 안부 전해줘. 네 들어가세요.", "ham", ""),
    (
        "네 {ko_company}입니다. 지원해 주셔서 감사합니다. 다음 주 화요일 오전 열 시에 면접 가능하실까요? 네 그럼 주소 문자로 보내드리겠습니다.",
        "ham",
        "",
    ),
    ("오늘 비 많이 온대. 우산 챙겨 가", "ham", ""),
    ("교회 수요예배는 저녁 7시 30분입니다. 모두 함께해요.", "ham", ""),
    (
        "네 여보세요, 금융감독원 소비자보호팀입니다. 고객님 명의로 대출이 불법 실행된 정황이 있어서 연락드렸습니다. 피해를 막으려면 보유하신 예금을 저희가 지정하는 보호계좌로 잠시 옮기셔야 합니다. 은행 창구에서 물어보면 그냥 생활비라고 하세요.",
        "scam",
        "impersonation",
    ),
    (
        "여보세요? 고객님 {kr_bank} 카드 해외 결제 건 때문에 연락드렸어요. 본인 결제 아니시면 취소해 드려야 하니까 원격 지원 앱 하나 설치해 주시겠어요? 설치하시면 화면 보면서 도와드릴게요. 카드 비밀번호도 확인이 필요합니다.",
        "scam",
        "phishing",
    ),
    (
        "여보세요? 자기야 나야. 나 지금 공항인데 세관에서 짐이 걸렸어. 벌금 {krw_man}만원 내야 나갈 수 있대. 내가 한국 가면 바로 갚을게. 이 계좌로 좀 보내줘. 우리 얘기는 아직 가족한테 하지 마.",
        "scam",
        "romance",
    ),
    (
        "여보세요? 네 {ko_company} 인사팀입니다. 서류 전형 합격하셔서 면접 일정 안내드리려고요. 다음 주 수요일 오후 두 시 본사 3층에서 진행됩니다. 신분증 지참해 주시고 궁금한 건 회사 대표번호로 연락 주세요.",
        "ham",
        "",
    ),
    (
        "아빠 나 지금 학교 끝났어. 오늘 친구들이랑 도서관 갔다가 여덟 시쯤 들어갈게. 저녁은 먹고 갈게요. 엄마한테도 말해줘.",
        "ham",
        "",
    ),
    (
        "여보세요? 네 수리기사입니다. 에어컨 점검 예약하셨죠? 지금 아파트 앞인데 몇 동 몇 호세요? 아 네 바로 올라가겠습니다.",
        "ham",
        "",
    ),
]

KM_TRAIN = [
    (
        "{kh_bank}៖ គណនីរបស់លោកអ្នកត្រូវបានផ្អាកបណ្តោះអាសន្ន។ សូមផ្ទៀងផ្ទាត់គណនីក្នុងរយៈពេល {hour} ម៉ោង តាមតំណភ្ជាប់ {bank_url} បើមិនដូច្នោះទេ គណនីនឹងត្រូវបិទ។",
        "scam",
        "phishing",
    ),
    (
        "ជម្រាបសួរ យើងខ្ញុំមកពីធនាគារ {kh_bank}។ សូមប្រាប់លេខកូដ OTP ដែលទើបផ្ញើទៅទូរស័ព្ទរបស់អ្នក ដើម្បីបញ្ឈប់ប្រតិបត្តិការខុសប្រក្រតី។",
        "scam",
        "phishing",
    ),
    ("ការជូនដំណឹង៖ កាត {kh_bank} របស់អ្នកត្រូវបានបង្កក។ ចុចទីនេះ {short_url} ហើយបញ្ចូលព័ត៌មានកាត ដើម្បីដោះសោ។", "scam", "phishing"),
    ("Bakong៖ កាបូបរបស់អ្នកនឹងត្រូវបិទថ្ងៃនេះ ប្រសិនបើមិនធ្វើបច្ចុប្បន្នភាព។ សូមចូល {bank_url}", "scam", "phishing"),
    ("ដំឡើងកម្មវិធីសុវត្ថិភាពថ្មីរបស់ធនាគារ {kh_bank} ភ្លាមៗ៖ {apk_url}", "scam", "phishing"),
    (
        "ជ្រើសរើសបុគ្គលិកបន្ទាន់! ធ្វើការនៅ{km_country} ប្រាក់ខែ {usd_salary} ដុល្លារ ក្រុមហ៊ុនចេញថ្លៃធ្វើដំណើរ ស្នាក់នៅ និងអាហារឥតគិតថ្លៃ មិនត្រូវការបទពិសោធន៍។ ទាក់ទងតាមតេឡេក្រាម {tg}",
        "scam",
        "trafficking",
    ),
    (
        "ការងារនៅ{km_place} ប្រាក់ខែខ្ពស់ {usd_salary}$ ប្រើទិដ្ឋាការទេសចរណ៍ ក្រុមហ៊ុនរក្សាលិខិតឆ្លងដែនជូន។ Inbox មកខ្ញុំ",
        "scam",
        "trafficking",
    ),
    (
        "ក្រុមហ៊ុនអនឡាញត្រូវការបុគ្គលិកវាយអក្សរ ធ្វើការលើទូរស័ព្ទ ចំណូល {usd_small} ដុល្លារក្នុងមួយថ្ងៃ។ បង់ថ្លៃចុះឈ្មោះ {usd_fee}$ មុនចាប់ផ្តើម។",
        "scam",
        "job_offer",
    ),
    ("ការងារស្រួល គ្រាន់តែចុចលូកវីដេអូ ទទួលបានប្រាក់រាល់ថ្ងៃ។ ចូលក្រុមតេឡេក្រាម t.me/{tg}", "scam", "job_offer"),
    (
        "ត្រូវការកម្មករទៅធ្វើការនៅ{km_country} ប្រាក់ខែ {usd_salary} ដុល្លារ ចេញដំណើរភ្លាមៗ មិនចាំបាច់ចេះភាសា ប្រគល់លិខិតឆ្លងដែនឱ្យមេខ្យល់។ {kh_phone}",
        "scam",
        "trafficking",
    ),
    (
        "វិនិយោគតិច ចំណេញច្រើន! ដាក់ប្រាក់ {usd_fee} ដុល្លារ ទទួលបានប្រាក់ចំណេញ {pct}% រាល់ថ្ងៃ ធានាមិនខាត។ {invest_url}",
        "scam",
        "investment",
    ),
    ("គម្រោងជីកកាក់ USDT ធានាចំណេញ {pct}% ប្រចាំថ្ងៃ។ ផ្ញើ USDT មកកាន់ {wallet}", "scam", "investment"),
    ("បងស្រលាញ់អូនណាស់ បងកំពុងនៅក្រៅប្រទេស ឥវ៉ាន់ជាប់គយ សូមអូនជួយផ្ញើ {usd_fee} ដុល្លារ សម្រាប់ថ្លៃពន្ធ បងនឹងសងវិញទ្វេដង។", "scam", "romance"),
    ("អូនសម្លាញ់ បងចង់មកលេងអូននៅកម្ពុជា តែត្រូវការថ្លៃសំបុត្រ។ ផ្ញើលុយមកគណនី {acct} បន្តិចបានទេ? កុំប្រាប់គ្រួសារសិន។", "scam", "romance"),
    (
        "កញ្ចប់អីវ៉ាន់របស់អ្នកមិនអាចដឹកជញ្ជូនបាន ដោយសារអាសយដ្ឋានមិនពេញលេញ។ សូមធ្វើបច្ចុប្បន្នភាពអាសយដ្ឋាន និងបង់ថ្លៃដឹកជញ្ជូន {usd_small}$ ៖ {parcel_url}",
        "scam",
        "parcel",
    ),
    ("ឥវ៉ាន់របស់អ្នកត្រូវបានឃាត់ទុកនៅគយ។ សូមបង់ថ្លៃពន្ធ {usd_small} ដុល្លារ ក្នុងរយៈពេល 24 ម៉ោង៖ {short_url}", "scam", "parcel"),
    (
        "កម្ចីលឿន អនុម័តក្នុង 5 នាទី មិនត្រូវការទ្រព្យធានា។ បង់ថ្លៃដំណើរការ {usd_small}$ មុន ទើបទទួលប្រាក់។ ទាក់ទង {kh_phone}",
        "scam",
        "loan",
    ),
    ("ខ្ចីលុយលឿន ការប្រាក់ទាប ទាញយកកម្មវិធីនៅទីនេះ {apk_url}", "scam", "loan"),
    ("អបអរសាទរ! អ្នកបានឈ្នះរង្វាន់ {km_item} ពីកម្មវិធីចាប់រង្វាន់។ ចុចទីនេះដើម្បីទទួលរង្វាន់ {prize_url}", "scam", "lottery"),
    ("លេខទូរស័ព្ទរបស់អ្នកបានឈ្នះរង្វាន់ធំ 5000 ដុល្លារ។ សូមបង់ថ្លៃឯកសារ {usd_small}$ ចូលគណនី {acct} ដើម្បីទទួលរង្វាន់។", "scam", "lottery"),
    ("ខ្ញុំមានវីដេអូរបស់អ្នក។ បើមិនចង់ឱ្យខ្ញុំផ្ញើទៅគ្រួសារ និងមិត្តភក្តិរបស់អ្នក ផ្ញើ {usd_fee} ដុល្លារមកភ្លាមៗ។", "scam", "sextortion"),
    (
        "រូបភាពឯកជនរបស់អ្នកនៅក្នុងដៃខ្ញុំ។ បង់ {usd_fee}$ ជា USDT ថ្ងៃនេះ បើមិនដូច្នោះទេខ្ញុំនឹងបង្ហោះលើ Facebook។ កុំប្រាប់អ្នកណា។",
        "scam",
        "sextortion",
    ),
    (
        "យើងខ្ញុំមកពីស្នងការដ្ឋាននគរបាល។ គណនីរបស់អ្នកពាក់ព័ន្ធនឹងករណីលាងលុយ។ សូមផ្ទេរប្រាក់ទៅគណនីសុវត្ថិភាពដើម្បីត្រួតពិនិត្យ ហើយរក្សាការសម្ងាត់។",
        "scam",
        "impersonation",
    ),
    (
        "ការិយាល័យព្រះរាជអាជ្ញា៖ មានដីកាចាប់ខ្លួនលើឈ្មោះរបស់អ្នក។ បង់ប្រាក់ផាកពិន័យ {usd_fee}$ ភ្លាមៗ ដើម្បីបញ្ចប់ករណី។",
        "scam",
        "impersonation",
    ),
    ("ម៉ាក់ កូនបាត់ទូរស័ព្ទ នេះលេខថ្មីកូន។ ជួយផ្ញើលុយ {usd_fee} ដុល្លារ ចូលគណនីមិត្តកូន {acct} បន្ទាន់បន្តិច។", "scam", "impersonation"),
    ("បុគ្គលិកធនាគារ {kh_bank} សូមឱ្យអ្នកដំឡើង AnyDesk ដើម្បីជួយដោះស្រាយបញ្ហាគណនី។", "scam", "impersonation"),
    (
        "ខ្ញុំមានរូបភាព និងវីដេអូឯកជនរបស់អ្នក។ ផ្ញើលុយ {usd_fee} ដុល្លារមកគណនី {acct} បើមិនដូច្នោះទេ ខ្ញុំនឹងផ្សព្វផ្សាយរូបទាំងអស់។",
        "scam",
        "sextortion",
    ),
    (
        "យើងបានថតការហៅវីដេអូរបស់អ្នក។ បង់ប្រាក់ {usd_fee}$ ក្នុងថ្ងៃនេះ មិនដូច្នោះទេ វីដេអូនឹងផ្ញើទៅមិត្តភក្តិ Facebook ទាំងអស់។",
        "scam",
        "sextortion",
    ),
    # ham
    ("ABA៖ អ្នកបានបង់ប្រាក់ {usd_small}.00 USD ទៅ {km_company} ដោយជោគជ័យ។ លេខយោង {track}។", "ham", ""),
    ("ធនាគារ {kh_bank} សូមរំលឹកថា យើងមិនដែលសុំលេខសម្ងាត់ ឬលេខកូដ OTP តាមទូរស័ព្ទ ឬតេឡេក្រាមទេ។", "ham", ""),
    ("ការិយាល័យនឹងបិទនៅថ្ងៃបុណ្យជាតិ ហើយបើកវិញនៅថ្ងៃបន្ទាប់ម៉ោង 8 ព្រឹក។", "ham", ""),
    ("កូនស្រី ម៉ាក់ផ្ញើរូបថតពិធីបុណ្យកាលពីម្សិលមិញទៅហើយ មើលក្នុងក្រុមគ្រួសារណា។", "ham", ""),
    ("{kh_bank}៖ លេខកូដផ្ទៀងផ្ទាត់របស់អ្នកគឺ {code}។ កុំចែករំលែកលេខកូដនេះជាមួយអ្នកដទៃ។ ធនាគារមិនដែលសុំលេខកូដរបស់អ្នកទេ។", "ham", ""),
    ("{kh_bank}៖ គណនី ***{last4} បានទទួលប្រាក់ {usd_small}.00 USD ពី {kh_name} នៅថ្ងៃទី {day}/{month} ម៉ោង {time}។", "ham", ""),
    ("ធនាគារ {kh_bank} នឹងធ្វើការថែទាំប្រព័ន្ធនៅថ្ងៃអាទិត្យ ពីម៉ោង 12 យប់ ដល់ម៉ោង 4 ព្រឹក។ សូមអភ័យទោសចំពោះការរំខាន។", "ham", ""),
    ("ម៉ាក់ ថ្ងៃនេះកូនមកផ្ទះយឺតបន្តិច ព្រោះមានប្រជុំនៅសាលា។", "ham", ""),
    ("ប្អូន កុំភ្លេចទិញអង្ករ និងពងមាន់ពេលមកផ្ទះណា។", "ham", ""),
    ("រីករាយថ្ងៃកំណើត {kh_name}! សូមឱ្យមានសុខភាពល្អ និងសំណាងល្អ។", "ham", ""),
    ("ប្រជុំក្រុមប្តូរទៅម៉ោង {time} នៅបន្ទប់លេខ 3។ សូមយករបាយការណ៍មកជាមួយ។", "ham", ""),
    (
        "{km_company} ជ្រើសរើសគណនេយ្យករ 1 រូប នៅ{km_city}។ ប្រាក់ខែ {usd_ok_salary} ដុល្លារ តាមសមត្ថភាព។ សូមផ្ញើប្រវត្តិរូបមកអ៊ីមែល {email} មុនថ្ងៃទី {day}។",
        "ham",
        "",
    ),
    (
        "សូមអរគុណសម្រាប់ពាក្យស្នើសុំការងារ។ សម្ភាសន៍នឹងធ្វើនៅថ្ងៃទី {day}/{month} ម៉ោង {time} នៅការិយាល័យ{km_company}។ សូមយកអត្តសញ្ញាណប័ណ្ណមកជាមួយ។",
        "ham",
        "",
    ),
    ("J&T Express៖ កញ្ចប់របស់អ្នកនឹងដឹកដល់ថ្ងៃនេះ ចន្លោះម៉ោង 2 ដល់ 5 រសៀល។ អ្នកដឹកនឹងទូរស័ព្ទមក។", "ham", ""),
    ("ស្ថានទូតកូរ៉េប្រចាំកម្ពុជា សូមជូនដំណឹងថា ការិយាល័យកុងស៊ុលនឹងបិទនៅថ្ងៃបុណ្យជាតិ។", "ham", ""),
    (
        "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ សូមអំពាវនាវឱ្យប្រជាពលរដ្ឋប្រយ័ត្នចំពោះការផ្សព្វផ្សាយការងារនៅក្រៅប្រទេសដែលសន្យាប្រាក់ខែខ្ពស់ និងសុំរក្សាលិខិតឆ្លងដែន។",
        "ham",
        "",
    ),
    ("ការប្រឡងភាសាកូរ៉េ EPS-TOPIK ចុះឈ្មោះតែតាមរយៈក្រសួងការងារប៉ុណ្ណោះ។ កុំផ្តល់ប្រាក់ទៅមេខ្យល់។", "ham", ""),
    ("ថ្ងៃស្អែកសាលារៀនឈប់សម្រាក ដោយសារបុណ្យភ្ជុំបិណ្ឌ។", "ham", ""),
    ("វិក្កយបត្រអគ្គិសនីខែនេះ {usd_small} ដុល្លារ។ សូមបង់តាមកម្មវិធីធនាគារ ឬនៅការិយាល័យ EDC មុនថ្ងៃផុតកំណត់។", "ham", ""),
    ("បង ខ្ញុំផ្ទេរលុយ {usd_small} ដុល្លារ សម្រាប់ថ្លៃបាយល្ងាចហើយណា។", "ham", ""),
    ("ហាងយើងខ្ញុំបើកវិញចាប់ពីថ្ងៃច័ន្ទ។ បញ្ចុះតម្លៃ 10% សម្រាប់គ្រួសារពេញមួយសប្តាហ៍។", "ham", ""),
    ("ប៉ូលិសណែនាំ៖ កុំផ្ញើប្រាក់ទៅអ្នកដែលអះអាងថាជាមន្ត្រីតាមទូរស័ព្ទ។ ទូរស័ព្ទលេខ 117 ប្រសិនបើមានការសង្ស័យ។", "ham", ""),
    ("យាយចង់ឱ្យកូនចៅទាំងអស់មកផ្ទះនៅថ្ងៃអាទិត្យ។ មកបានទេ?", "ham", ""),
    ("ការណាត់ជួបនៅគ្លីនិកត្រូវបានបញ្ជាក់សម្រាប់ថ្ងៃទី {day}/{month} ម៉ោង {time}។", "ham", ""),
    ("ពិព័រណ៍ការងារនៅវិទ្យាស្ថានជាតិថ្ងៃសៅរ៍នេះ ចូលរួមដោយឥតគិតថ្លៃ សូមយកប្រវត្តិរូបមកជាមួយ។", "ham", ""),
    ("ថ្ងៃនេះភ្លៀងខ្លាំង កុំភ្លេចយកឆ័ត្រ។", "ham", ""),
    ("{kh_name} ធ្វើការដល់ម៉ោងប៉ុន្មាន? ញ៉ាំបាយជាមួយគ្នាទេល្ងាចនេះ?", "ham", ""),
    ("ការបញ្ជាទិញរបស់អ្នកត្រូវបានផ្ញើចេញហើយ ហើយនឹងមកដល់ក្នុងរយៈពេល 2 ទៅ 3 ថ្ងៃ។ សូមអរគុណ។", "ham", ""),
]

KM_TEST = [
    (
        "សារពីធនាគារ {kh_bank}៖ មានការចូលគណនីពីឧបករណ៍ថ្មី។ បើមិនមែនអ្នកទេ សូមចូល {bank_url} ហើយបញ្ចូលលេខសម្ងាត់ដើម្បីការពារគណនី។",
        "scam",
        "phishing",
    ),
    ("ពិន្ទុរង្វាន់កាត {kh_bank} របស់អ្នកនឹងផុតកំណត់ថ្ងៃនេះ។ ប្តូរជាសាច់ប្រាក់នៅ {short_url}", "scam", "phishing"),
    (
        "ត្រូវការបុគ្គលិកផ្នែកទីផ្សារអនឡាញនៅ{km_place} ប្រាក់ខែចាប់ពី {usd_salary} ដុល្លារ មានសំបុត្រយន្តហោះឥតគិតថ្លៃ មិនត្រូវការបទពិសោធន៍ ទាក់ទង {tg}",
        "scam",
        "trafficking",
    ),
    (
        "ធ្វើការនៅ{km_country} ប្រាក់ឈ្នួលខ្ពស់ ក្រុមហ៊ុនទុកលិខិតឆ្លងដែនពេលធ្វើការ ប្រើវីសាទេសចរ ចេញដំណើរសប្តាហ៍ក្រោយ។ ឆាតតាមតេឡេក្រាម",
        "scam",
        "trafficking",
    ),
    ("ការងារពីផ្ទះ ធ្វើការលើទូរស័ព្ទ រកលុយបានច្រើនរាល់ថ្ងៃ គ្រាន់តែបង់ប្រាក់កក់ {usd_fee} ដុល្លារ។", "scam", "job_offer"),
    ("ក្រុមវិនិយោគគ្រីបតូ VIP ធានាប្រាក់ចំណេញ {pct}% ក្នុងមួយសប្តាហ៍ ចូលរួមឥឡូវ {invest_url}", "scam", "investment"),
    ("ជំរាបសួរ ខ្ញុំជាទាហានអាមេរិក ខ្ញុំស្រលាញ់អ្នក។ ខ្ញុំមានប្រអប់មាសផ្ញើមក ប៉ុន្តែត្រូវបង់ថ្លៃដឹកជញ្ជូន {usd_fee}$ ជាមុនសិន។", "scam", "romance"),
    ("ប្រៃសណីយ៍កម្ពុជា៖ អីវ៉ាន់ជាប់គយ ត្រូវបង់ថ្លៃពន្ធដើម្បីដោះលែង។ បង់នៅ {parcel_url}", "scam", "parcel"),
    ("អនុម័តកម្ចី {usd_salary} ដុល្លារ សម្រាប់អ្នក! ផ្ញើរូបអត្តសញ្ញាណប័ណ្ណ និងបង់ថ្លៃធានា {usd_small}$ ដើម្បីទទួលប្រាក់។", "scam", "loan"),
    ("អ្នកបានឈ្នះ {km_item} ពីការចាប់ឆ្នោតរបស់ក្រុមហ៊ុនទូរស័ព្ទ។ ទទួលរង្វាន់នៅ {prize_url}", "scam", "lottery"),
    ("ខ្ញុំបានថតវីដេអូពេលយើងឆាតវីដេអូ។ ផ្ញើលុយ {usd_fee} ដុល្លារ ឬខ្ញុំនឹងចែកទៅគ្រប់គ្នាក្នុងបញ្ជីទំនាក់ទំនងរបស់អ្នក។", "scam", "sextortion"),
    (
        "នេះជាប៉ូលិសអន្តរជាតិ។ ឈ្មោះរបស់អ្នកត្រូវបានប្រើក្នុងការដឹកជញ្ជូនគ្រឿងញៀន។ កុំប្រាប់អ្នកណា ហើយផ្ទេរប្រាក់មកគណនី {acct} ជាបន្ទាន់។",
        "scam",
        "impersonation",
    ),
    ("{kh_bank}៖ កូដ OTP {code} សម្រាប់ការផ្ទេរប្រាក់របស់អ្នក។ កុំប្រាប់លេខកូដនេះដល់អ្នកដទៃ។", "ham", ""),
    ("អ្នកបានបង់ប្រាក់ {usd_small}.00 USD ទៅហាង Lucky Supermarket ដោយជោគជ័យ។", "ham", ""),
    (
        "{km_company} ត្រូវការបុគ្គលិកលក់ 2 នាក់ នៅ{km_city} ប្រាក់ខែ {usd_ok_salary} ដុល្លារ បូកកម្រៃជើងសារ។ សម្ភាសន៍នៅការិយាល័យ។",
        "ham",
        "",
    ),
    ("ប្អូន ស្អែកជាងទឹកមកជួសជុលម៉ាស៊ីនទឹកម៉ោង 9 ព្រឹក។ នៅផ្ទះបានទេ?", "ham", ""),
    ("កញ្ចប់អីវ៉ាន់របស់អ្នកមកដល់ប្រៃសណីយ៍ហើយ សូមយកអត្តសញ្ញាណប័ណ្ណមកទទួល។", "ham", ""),
    ("ស្ថានទូតសូមរំលឹកពលរដ្ឋឱ្យបន្តសុពលភាពលិខិតឆ្លងដែនយ៉ាងតិច 6 ខែមុនផុតកំណត់។", "ham", ""),
    ("ជួបគ្នានៅពិធីមង្គលការថ្ងៃសៅរ៍ណា! កុំភ្លេចកាដូ។", "ham", ""),
    ("ថ្នាក់រៀនថ្ងៃស្អែកឈប់ ព្រោះលោកគ្រូឈឺ។", "ham", ""),
    ("ធនាគារមិនដែលសុំលេខ PIN ឬ OTP តាមទូរស័ព្ទទេ។ សូមប្រុងប្រយ័ត្ន។", "ham", ""),
]


def expand(templates: list[tuple[str, str, str]], n: int, seed: int) -> list[dict[str, str]]:
    """Fill each template ``n`` times with random slot values (duplicates dropped)."""
    rng = random.Random(seed)
    rows: dict[str, dict[str, str]] = {}
    for text, label, scam_type in templates:
        for _ in range(n):
            filled = text.format(**slots(rng))
            rows.setdefault(filled, {"text": filled, "label": label, "scam_type": scam_type, "source": "team"})
    return list(rows.values())


def main() -> None:
    """Write the six CSV files."""
    plan = {
        "en": (EN_TRAIN, EN_TEST),
        "ko": (KO_TRAIN, KO_TEST),
        "km": (KM_TRAIN, KM_TEST),
    }
    for i, (lang, (train, test)) in enumerate(plan.items()):
        for split, templates, n in (("train", train, 4), ("test", test, 4)):
            rows = expand(templates, n, seed=100 * i + (0 if split == "train" else 1))
            with (HERE / f"{split}_{lang}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=["text", "label", "scam_type", "source"])
                writer.writeheader()
                writer.writerows(rows)
            print(lang, split, len(rows))


if __name__ == "__main__":
    main()
