"""Staff commands in Telegram use the console's roles: accounts linked to a Telegram id, and
STAFF_IDS as admins for bootstrapping."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import load_catalogues
from bot.settings import load_settings
from storage import Database
from storage.staff import StaffRepository
from tests.admin.support import add_staff
from tests.bot.support import running_bot

NOT_A_COMMAND = load_catalogues()["en"]["unsupported.command"]


async def test_linked_accounts_get_staff_commands_until_disabled(
    tmp_path: Path, clean_env: None, trained_models: None
) -> None:
    settings = load_settings(data_dir=tmp_path, staff_ids="777")
    async with running_bot(settings) as bot:
        db = Database(settings.effective_database_url)
        staff = StaffRepository(db)
        await add_staff(staff, "sokha", "editor", telegram_id=555)
        roles = bot.app.bot_data.services.staff_roles
        await roles.refresh()

        linked = await bot.chat(user_id=555).say("/health")
        bootstrap_admin = await bot.chat(user_id=777).say("/health")
        stranger = await bot.chat(user_id=999).say("/health")

        assert "NLU:" in linked.text
        assert "NLU:" in bootstrap_admin.text
        assert stranger.text == NOT_A_COMMAND

        await staff.disable("sokha", actor="boss")
        await roles.refresh()
        disabled = await bot.chat(user_id=555).say("/health")
        assert disabled.text == NOT_A_COMMAND
        await db.dispose()
        bot.assert_no_crash([linked, bootstrap_admin, stranger, disabled])


async def test_an_analyst_cannot_send_alerts_but_an_editor_can(
    tmp_path: Path, clean_env: None, trained_models: None
) -> None:
    settings = load_settings(data_dir=tmp_path)
    async with running_bot(settings) as bot:
        db = Database(settings.effective_database_url)
        staff = StaffRepository(db)
        await add_staff(staff, "dara", "analyst", telegram_id=556)
        await add_staff(staff, "sokha", "editor", telegram_id=555)
        await bot.app.bot_data.services.staff_roles.refresh()

        analyst = await bot.chat(user_id=556).say("/alerts")
        editor = await bot.chat(user_id=555).say("/alerts")

        assert analyst.text == NOT_A_COMMAND
        assert editor.text != NOT_A_COMMAND
        await db.dispose()
        bot.assert_no_crash([analyst, editor])
