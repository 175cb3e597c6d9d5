"""ENT: entity inconsistency — one name in several forms, or a well-known name spun."""

from __future__ import annotations

from spinlint.plugins.entity.acronym import AcronymMismatch
from spinlint.plugins.entity.role_title import SpunRoleTitle
from spinlint.plugins.entity.spun_name import SpunName
from spinlint.plugins.entity.variant import EntityVariant
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="ENT",
    name="entity inconsistency",
    rules=[EntityVariant, SpunName, SpunRoleTitle, AcronymMismatch],
    description=(
        "Names written in two forms in one document, well-known names spun word by word, "
        "spun role titles before a person's name, and acronyms their spelled-out words no longer spell."
    ),
)
