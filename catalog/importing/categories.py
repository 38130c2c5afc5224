"""Finding a row's category by slug or by name path, and planning the categories to create.

A path ("Jardin > Outils") is matched by name from the root down, case-insensitively; the
missing tail of a path is planned as new categories, parents before children, each with a
unique slug. The whole tree is read once per import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Category

Path = tuple[str, ...]


@dataclass
class PlannedCategory:
    path: Path  # folded names from the root
    name: str
    slug: str
    parent_path: Path | None  # None: the parent exists (parent_id) or it is a root
    parent_id: int | None
    label: str = ""  # the path as the file spells it, for the report: "Jardin > Arrosage"


@dataclass(frozen=True)
class Resolved:
    """A row's category: an existing one (`category_id`), a planned one (`path`), or an error."""

    category_id: int | None = None
    path: Path | None = None
    error: str | None = None


def fold(names: Iterable[str]) -> Path:
    return tuple(name.casefold() for name in names)


class CategoryResolver:
    """Finds categories by slug or by name path with one query; plans the missing ones."""

    def __init__(self) -> None:
        self.by_id = {category.pk: category for category in Category.objects.all()}
        self.by_slug = {category.slug: category for category in self.by_id.values()}
        self.by_path: dict[Path, int] = {}
        for category in self.by_id.values():
            self.by_path.setdefault(fold(self._names_from_root(category)), category.pk)
        self.planned: dict[Path, PlannedCategory] = {}
        self.used_slugs = set(self.by_slug)
        self.to_create: list[PlannedCategory] = []  # parents before children

    def _names_from_root(self, category: Category) -> list[str]:
        names, node, seen = [], category, set()
        while node is not None and node.pk not in seen:  # a cycle in bad data ends the walk
            seen.add(node.pk)
            names.append(node.name)
            node = self.by_id.get(node.parent_id)
        return names[::-1]

    def has_slug(self, slug: str) -> bool:
        return slug in self.by_slug

    def resolve(self, reference: tuple[str, object]) -> Resolved:
        kind, value = reference
        if kind == "slug":
            category = self.by_slug.get(value)
            if category is None:
                return Resolved(error=unknown_slug_message(value))
            return Resolved(category_id=category.pk)
        folded = fold(value)
        if folded in self.by_path:
            return Resolved(category_id=self.by_path[folded])
        self._plan_missing(value, folded)
        return Resolved(path=folded)

    def _plan_missing(self, names: Path, folded: Path) -> None:
        for depth in range(1, len(names) + 1):
            prefix = folded[:depth]
            if prefix in self.by_path or prefix in self.planned:
                continue
            parent_id = self.by_path.get(prefix[:-1]) if depth > 1 else None
            parent_path = prefix[:-1] if depth > 1 and parent_id is None else None
            slug = self._unique_slug(names[:depth])
            planned = PlannedCategory(
                prefix, names[depth - 1], slug, parent_path, parent_id, " > ".join(names[:depth])
            )
            self.planned[prefix] = planned
            self.to_create.append(planned)

    def _unique_slug(self, names: Path) -> str:
        limit = Category._meta.get_field("slug").max_length - 10  # room for "-<counter>"
        base = slugify("-".join(names))[:limit] or "category"
        slug, counter = base, 2
        while slug in self.used_slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        self.used_slugs.add(slug)
        return slug


def unknown_slug_message(slug: str) -> str:
    return _("No category has the slug “%(slug)s”.") % {"slug": slug}
