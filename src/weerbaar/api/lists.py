"""A page of a register for the API: the rows' columns, the ids (or slugs) of their links, and
the number of rows of the whole list, in two queries whatever the size of page or register.

An API list prints columns and related ids, so it needs no model instances and no related rows.
:func:`values_page` first asks for the page's ids in the list's order, with the count of the
whole list as an uncorrelated subquery (evaluated once). Then it reads the rows of those ids
with, per link, a correlated subquery that gathers the related values of the row into one list
(SQLite ``json_group_array``, PostgreSQL ``ARRAY(...)``), in the related model's order as
``.all()`` on a prefetch gives it. The second query's SQL depends only on the list's fields and
the page's length, so it is compiled once; building and compiling querysets costs more than the
database needs to answer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import orjson
from django.db import NotSupportedError, connections
from django.db.models import F, Field, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL


@dataclass(frozen=True)
class Link:
    """The related values of a row, read from a many-to-many link table.

    ``through``: the link table's model; ``own``: its foreign key to the listed rows;
    ``value``: what to print per link (``"asset_id"``, ``"theme__slug"``); ``order``: the
    ordering of the links (a related field name uses the related model's ``Meta.ordering``);
    ``other``: the link table's foreign key to the related rows (see :meth:`ordering`).
    """

    through: type[Model]
    own: str
    value: str
    order: tuple[str, ...]
    other: str = ""

    def subquery(self) -> LinkValues:
        inner = (
            self.through._base_manager.filter(**{self.own: OuterRef("pk")})
            .order_by(*self.ordering())
            .values(v=F(self.value))
        )
        return LinkValues(inner)

    def ordering(self) -> tuple:
        """The links' ordering; for the related ids in the related model's order, without a join.

        Ordering by the related model's columns needs the related rows. A join does that, but
        PostgreSQL may then hash the whole related table (500 assets) once per listed row;
        instead each link row looks up its related row's ordering columns by primary key (a
        scalar subquery per column, an index probe each), and the related id itself is the link
        table's own column. The order is the same as ``.all()`` on a prefetch gives.
        """
        if not self.other or self.order != (self.other,) or self.value != f"{self.other}_id":
            return self.order
        related = self.through._meta.get_field(self.other).related_model
        terms = []
        for path, descending in _model_ordering(related):
            if path == related._meta.pk.name:
                term = F(self.value)
            else:
                term = Subquery(related._base_manager.filter(pk=OuterRef(self.value)).order_by().values(v=F(path))[:1])
            terms.append(term.desc() if descending else term.asc())
        return tuple(terms)

    def expression(self, model: type[Model], using: str = "default"):
        """The subquery below a query on ``model``'s own table: its SQL compiled once per database."""
        connection = connections[using]
        sql, params = _compiled(self, model, connection.alias, connection.vendor)
        # The SQL is Django's own compilation of the link's queryset (no request input in it).
        return RawSQL(sql, params, output_field=Field())  # noqa: S611


def _model_ordering(model: type[Model], prefix: str = "", descending: bool = False, depth: int = 0):
    """``model``'s ``Meta.ordering`` as (field path, descending) pairs, relations expanded.

    Django orders by a relation through the related model's own ordering (unless the name is
    the column itself, ``framework_id``); this follows the same rule, so the expanded paths sort
    as ``order_by()`` on the relation would.
    """
    if depth > 5:  # pragma: no cover - a loop in Meta.ordering, which Django refuses too
        raise ValueError(f"Ordering of {model.__name__} refers to itself.")
    for item in model._meta.ordering:
        if not isinstance(item, str) or item == "?":  # pragma: no cover - not used by the listed models
            raise ValueError(f"Ordering of {model.__name__} is not a list of field names.")
        flip = item.startswith("-")
        name = item.lstrip("-+")
        if name == "pk":
            name = model._meta.pk.name
        target, field = model, None
        for part in name.split("__"):
            field = target._meta.get_field(part)
            target = field.related_model if field.is_relation else target
        path = f"{prefix}{name}"
        if (
            field.is_relation
            and field.related_model is not None
            and field.related_model._meta.ordering
            and getattr(field, "attname", None) != name.split("__")[-1]
        ):
            yield from _model_ordering(field.related_model, f"{path}__", descending != flip, depth + 1)
        else:
            yield path, descending != flip


@lru_cache(maxsize=256)
def _compiled(link: Link, model: type[Model], alias: str, vendor: str) -> tuple[str, tuple]:
    """The SQL of ``link``'s subquery below an outer query on ``model``'s own table.

    Building and compiling a correlated subquery costs the ORM more than the database needs to
    run it; its text depends only on the link, the model and the database (it refers to the
    outer row as ``"<table>"."<pk>"`` and takes no parameters from the request).
    """
    query = model._base_manager.values(wb_link=link.subquery()).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.compile(query.annotations["wb_link"])
    return sql, tuple(params)


def m2m(field, value: str = "", order: tuple[str, ...] = ()) -> Link:
    """The :class:`Link` of a ``ManyToManyField`` (``Risk.assets``, ``Measure.risks``), from either side.

    By default the related ids in the related model's ordering; ``value`` names another column of
    the related row (``"slug"``), ``order`` another ordering (related to the link table).
    """
    m2m_field = field.field
    reverse = field.reverse
    through = m2m_field.remote_field.through
    own, other = (
        (m2m_field.m2m_reverse_field_name(), m2m_field.m2m_field_name())
        if reverse
        else (m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name())
    )
    return Link(
        through=through,
        own=own,
        value=f"{other}__{value}" if value else f"{other}_id",
        order=order or (other,),
        other=other,
    )


class LinkValues(Subquery):
    """A correlated subquery of one column, as one list per outer row (in the subquery's order)."""

    # A plain Field: no converter touches the list (SQLite's JSON text is read in _as_list).
    output_field = Field()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        raise NotSupportedError(f"Lists of link values are not supported on {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra_context):
        # The ORDER BY of a subquery in FROM is kept when the outer query aggregates it (SQLite
        # does not flatten such a subquery), so json_group_array receives the rows in order.
        return super().as_sql(
            compiler, connection, template="(SELECT json_group_array(_l.v) FROM (%(subquery)s) _l)", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="ARRAY(%(subquery)s)", **extra_context)


class _RowCount(Subquery):
    """The number of rows of a queryset, as a subquery evaluated once."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _c)"
    output_field = IntegerField()


def values_page(
    qs: QuerySet,
    *,
    offset: int,
    limit: int,
    fields: list[str],
    expressions: dict | None = None,
    links: dict[str, Link] | None = None,
    constants: dict | None = None,
) -> tuple[int, list[dict]]:
    """The number of rows of ``qs`` and its rows ``offset`` to ``offset + limit`` as dicts.

    Each dict holds ``fields`` in that order: a field named in ``expressions`` is that
    expression's value (``{"threat": F("threat__slug")}``), one in ``links`` the list of related
    values, one in ``constants`` that value; any other field is the model's column of that name.
    Expressions must not depend on the request: their SQL is compiled once (see
    :func:`_rows_query`).

    Two queries whatever the size of the page or of the register: the page's ids in the order of
    ``qs`` with the count of all its rows, then the rows of those ids with their links, whose
    SQL is the same for every page of the same length (so it is compiled once).
    """
    qs = qs.prefetch_related(None)
    page = list(qs.values_list("pk", _RowCount(qs.order_by().values("pk")))[offset : offset + limit])
    if not page:
        return qs.order_by().count(), []
    count = page[0][1]
    ids = [pk for pk, _count in page]
    connection = connections[qs.db]
    constants = constants or {}
    spec = (
        tuple(fields),
        tuple((expressions or {}).items()),
        tuple((links or {}).items()),
        tuple(constants),
    )
    sql, plan, pk_index, link_names, compiler, converters = _rows_query(qs.model, spec, len(ids), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        fetched = cursor.fetchall()
    if converters:
        fetched = compiler.apply_converters(fetched, converters)
    extra = tuple(constants.values())
    by_id = {}
    for values in fetched:
        values = (*values, *extra)
        row = {name: values[i] for name, i in plan}
        for name in link_names:
            row[name] = _as_list(row[name])
        by_id[values[pk_index]] = row
    return count, [by_id[pk] for pk in ids]


_PREFIX = "wb_"


@lru_cache(maxsize=64)
def _rows_query(model: type[Model], spec: tuple, size: int, connection) -> tuple:
    """The SQL for the rows of ``size`` ids as ``spec`` describes them (see :func:`values_page`).

    Returns the SQL; the plan: per field the index of its value in a row (the row's own columns
    followed by the constants); the index of the primary key; the names of the link fields; and
    the compiler with its
    converters (SQLite returns dates as text, for example), kept per database connection.
    """
    fields, expressions, links, constant_names = spec
    expressions, links = dict(expressions), dict(links)
    columns = [f for f in fields if f not in expressions and f not in links and f not in constant_names]
    # .values() refuses an expression named as a model field: expressions and links (and the
    # primary key, whatever the fields) are selected under other names.
    selected = {f"{_PREFIX}pk": F("pk")}
    selected |= {f"{_PREFIX}{name}": expression for name, expression in expressions.items()}
    selected |= {f"{_PREFIX}{name}": link.expression(model, connection.alias) for name, link in links.items()}
    stand_ins = list(range(1, size + 1))
    query = model._base_manager.filter(pk__in=stand_ins).values(*columns, **selected).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if list(params) != stand_ins:  # pragma: no cover - an expression with parameters of its own
        raise ValueError("values_page: expressions and links may not take parameters")
    names = list(query.selected)
    index = {name.removeprefix(_PREFIX) if name in selected else name: i for i, name in enumerate(names)}
    index |= {name: len(names) + i for i, name in enumerate(constant_names)}
    plan = tuple((name, index[name]) for name in fields)
    pk_index = names.index(f"{_PREFIX}pk")
    converters = compiler.get_converters([s[0] for s in compiler.select[0 : compiler.col_count]])
    return sql, plan, pk_index, tuple(links), compiler, converters


def _as_list(value) -> list:
    if isinstance(value, str):  # SQLite: a JSON array
        return orjson.loads(value)
    return list(value) if value is not None else []
