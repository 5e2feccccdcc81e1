"""Campaign content: scam types, articles and official contacts in km, ko and en.

The YAML files here are owned by campaign staff (see README.md). Code reads them through
`ContentCatalogue`; staff validate them with `content.check.check_content` (``scambot content check``).
"""

from content.catalogue import ContentCatalogue, ContentError, PublicContact
from content.loader import Problem
from content.schema import ARTICLE_KEYS, LANGUAGES, SCAM_TYPE_KEYS, Article, Contact, ContactText, ScamType

__all__ = [
    "ARTICLE_KEYS",
    "LANGUAGES",
    "SCAM_TYPE_KEYS",
    "Article",
    "Contact",
    "ContactText",
    "ContentCatalogue",
    "ContentError",
    "Problem",
    "PublicContact",
    "ScamType",
]
