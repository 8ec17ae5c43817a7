"""Publishing a version into a spine table: set-based statements inside one transaction, in
named steps — ``_src`` made, the plan checked (or made: every row classified as differing,
gone or new), the rows that differ updated, the gone ones deleted (detaching or refusing the
rows of other tables that still refer to them), the new ones inserted (rebuilding the table's
indexes around a bulk insert), the counts.

The statements themselves are built from the target's declaration
(:class:`~miasto.datahub.importers.statements.SpineDeclaration`); why they are shaped as they
are is told in ``docs/datahub.md`` ("Publishing: why the statements are shaped as they are").
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import Future, wait
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from miasto.core.db import copy_rows, execute, fetch_all, fetch_one, fetch_value, run_beside
from miasto.core.importing import PublishOptions, PublishPlan, qualified
from miasto.core.jobs import JobError
from miasto.datahub.importers.references import count_rows, detach_references, indexes_rebuilt
from miasto.datahub.importers.statements import SpineDeclaration
from miasto.datahub.quality import BATCH_WORK_MEM

#: inserting at least this many rows, and more than the spine table holds, rebuilds its
#: indexes instead of growing them row by row (:func:`indexes_rebuilt`)
BULK_MIN_ROWS = 50_000


@dataclass(frozen=True)
class Planned:
    """How many rows ``_plan`` lists as differing, gone and new."""

    differ: int
    gone: int
    new: int


def deal_halves(groups: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[int]]:
    """``groups`` (key values…, number of rows), biggest first, dealt to two halves of about
    as many rows: each to the half with fewer so far. The keys with their half (0 or 1), and
    the rows of each half."""
    rows = [0, 0]
    halves: list[tuple[Any, ...]] = []
    for *key, n in groups:
        side = 0 if rows[0] <= rows[1] else 1
        rows[side] += n
        halves.append((*key, side))
    return halves, rows


@dataclass
class SpineTarget(SpineDeclaration):
    """A spine layer, published by merging ``_src`` into ``model``'s table (see the module
    docstring and :class:`SpineDeclaration` for what it declares)."""

    # --- the state a plan depends on -----------------------------------------------------

    def _plan_state(self) -> tuple[Any, ...]:
        """What a plan made earlier depends on: the spine table's revision (bumped by every
        write, see :class:`miasto.core.models.TableRevision`) and a fingerprint of the lookups
        ``_src`` joins."""
        assert self.model is not None
        state: list[Any] = [
            fetch_value(
                'SELECT revision FROM core_tablerevision WHERE "table" = %s',
                [self.model._meta.db_table],
            )
        ]
        state += [fetch_value(query) for query in self._state_queries()]
        return tuple(state)

    @property
    def _classified_ahead(self) -> bool:
        """Can the rows be classified before publishing? ``_src`` must be a view (a copy is
        made in the publishing transaction), and what is made before writing must be only the
        lookups, outer-joined to tell the rows that need one."""
        return self.src_view and not self.located and not self.steps

    def published_state(self) -> list[Any] | None:
        """The spine's state (:meth:`_plan_state`) as a version leaves it when it is published:
        kept in its report (``published_state``), it tells a later import whether the spine
        still holds exactly that version (nothing has written to it since)."""
        return list(self._plan_state())

    def _open_source(self, table: str, mapping: dict[str, str]) -> None:
        execute(sql.SQL("DROP {} IF EXISTS _src").format(self.src_kind))
        execute(self.src_statement(table, mapping))

    def _close_source(self) -> None:
        execute(sql.SQL("DROP {} _src").format(self.src_kind))

    # --- plans made before publishing ----------------------------------------------------

    def plan_from_changes(
        self, table: str, mapping: dict[str, str], changed: str, spine_rows: int = 0
    ) -> PublishPlan | None:
        """The rows for :meth:`publish` classified into ``<table>_plan`` from ``changed`` — the
        table of the fids of ``table`` whose geometry and mapped attributes were not found
        together in the version the spine holds exactly, of ``spine_rows`` rows (its
        ``published_state`` is the spine's state now, with the same mapping and column types;
        the caller checks that, and that every row of ``table`` has a geometry: a row without
        one is neither changed nor unchanged).

        The other rows publish to what the spine holds already, so only the changed ones are
        looked up in the spine (by key: changed, or new), not the whole spine joined with the
        whole version. A spine row whose key is no longer in ``table`` (gone) exists only if
        fewer than ``spine_rows`` were found; only then is the spine joined whole, to find
        them. ``None`` (publishing classifies the rows itself) where :meth:`plan_ahead` would
        give none."""
        if not self._classified_ahead:
            return None
        name = f"{table}_plan"
        state = self._plan_state()  # (before the plan: a later write shows)
        execute("DROP VIEW IF EXISTS _src")
        execute(self.src_statement(table, mapping))
        execute(sql.SQL("DROP TABLE IF EXISTS {}").format(qualified(name)))
        execute(self._changed_plan_sql(name, changed))
        row = fetch_one(
            sql.SQL(
                "SELECT count(*) FILTER (WHERE unready), count(tid), count(*), "
                "(SELECT count(*) FROM {}) FROM {}"
            ).format(qualified(table), qualified(name))
        )
        assert row is not None
        n_unready, found, n_changed, total = row
        if n_unready:  # (new lookups: publishing makes them first)
            execute("DROP VIEW _src")
            execute(sql.SQL("DROP TABLE {}").format(qualified(name)))
            return None
        if spine_rows != total - n_changed + found:  # some spine rows are gone
            execute(self._gone_rows_sql(name))
        execute("DROP VIEW _src")
        return PublishPlan(name, state)

    def plan_ahead(self, table: str, mapping: dict[str, str]) -> Future[PublishPlan | None] | None:
        """Start classifying the rows for :meth:`publish` beside the quality check (a thread
        with its own connection) into ``<table>_plan``; ``None`` where that cannot be done
        (``_src`` is a copy changed before writing, or inside a transaction).

        Rows whose lookup publishing would make first leave no plan. The plan may be made
        before invalid geometries are repaired: the spine's geometries are valid (a check
        constraint), so an invalid one differs from its spine row before the repair as after
        it, and :meth:`publish` compares again what it updates."""
        if not self._classified_ahead:
            return None
        return run_beside(lambda: self._make_plan(table, mapping), "plan")

    def _make_plan(self, table: str, mapping: dict[str, str]) -> PublishPlan | None:
        """The whole spine joined with the whole version into ``<table>_plan`` (on this
        thread's connection); ``None`` when a row's lookup is missing."""
        name = qualified(f"{table}_plan")
        execute(sql.SQL("SET work_mem = {}").format(sql.Literal(BATCH_WORK_MEM)))
        state = self._plan_state()  # before the plan: a later write shows
        execute(self.src_statement(table, mapping))
        execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
        execute(sql.SQL("CREATE UNLOGGED TABLE {} AS {}").format(name, self._plan_sql(ahead=True)))
        execute("DROP VIEW _src")
        if fetch_value(sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE unready)").format(name)):
            return None  # (e.g. new precincts: publishing makes them first)
        return PublishPlan(f"{table}_plan", state)

    def lookups_ahead(self, table: str, mapping: dict[str, str]) -> str | None:
        """Make the missing lookup rows of ``table`` (see :class:`Join` ``create``) into the
        table ``<table>_lookups``, in two halves side by side; its name, or ``None`` when
        nothing is missing (or the target makes no lookups).

        Called outside a transaction, before the publishing one (which then finds nothing
        left to make), so that both cores work: a half is a set of groups of about half the
        rows. Inside a transaction, the halves run one after the other."""
        if self.join is None or not self.join.create:
            return None
        name = f"{table}_lookups"
        execute("DROP VIEW IF EXISTS _src")
        execute(self.src_statement(table, mapping))
        groups = fetch_all(self._lookup_groups_sql())
        if not groups:
            execute("DROP VIEW _src")
            return None
        halves, rows = deal_halves(groups)
        for statement in self._lookup_tables_sql(name):
            execute(statement)
        execute("DROP VIEW _src")
        copy_rows(
            sql.SQL("COPY {} FROM STDIN").format(qualified(f"{name}_keys")).as_string(), halves
        )
        self._make_halves(table, mapping, name, rows)
        return name

    def _make_lookup_half(self, table: str, mapping: dict[str, str], name: str, half: int) -> None:
        execute("DROP VIEW IF EXISTS _src")
        execute(self.src_statement(table, mapping))
        execute(self._lookup_half_sql(name), [half])
        execute("DROP VIEW _src")

    def _make_halves(self, table: str, mapping: dict[str, str], name: str, rows: list[int]) -> None:
        """Both halves of the lookups into ``name``: the second beside (when it has rows)."""
        other = (
            run_beside(lambda: self._make_lookup_half(table, mapping, name, 1), "lookups")
            if rows[1]
            else None
        )
        try:
            self._make_lookup_half(table, mapping, name, 0)
            if other is not None:
                other.result()
            elif rows[1]:  # (inside a transaction)
                self._make_lookup_half(table, mapping, name, 1)
        finally:
            if other is not None:
                wait([other])  # (a failure here must not leave it working on)
            execute(sql.SQL("DROP TABLE {}").format(qualified(f"{name}_keys")))

    # --- publishing ----------------------------------------------------------------------

    def publish(
        self, table: str, mapping: dict[str, str], options: PublishOptions | None = None
    ) -> dict[str, int]:
        """Merge into the spine; refuse to delete more than ``max_removed_share`` of it.

        ``options.passed``: quality checks that found nothing on this version (see
        ``checks``); ``options.plan``: made by :meth:`plan_ahead`, used when nothing it
        depends on has changed since (checked under a lock that holds back other writers of
        the spine table); ``options.lookups``: made by :meth:`lookups_ahead`."""
        options = options or PublishOptions()
        self._open_source(table, mapping)  # (dropped below, or with the transaction's rollback)
        plan = self._plan_holding(options.plan)
        self._prepare(mapping, options, plan)
        planned = self._classify(plan)
        # (a statement with no row to write is not run: it would bump the table's revision,
        # and the spine would no longer look as the version it holds, see published_state)
        changed = self._update_changed() if planned.differ else 0
        removed = self._delete_gone(planned.gone, options.max_removed_share) if planned.gone else 0
        added = self._insert_new(planned.new) if planned.new else 0
        execute("DROP TABLE _plan")
        self._close_source()
        return {"added": added, "changed": changed, "removed": removed}

    def _plan_holding(self, plan: PublishPlan | None) -> PublishPlan | None:
        """``plan`` if the spine and its lookups are as they were when it was made. The
        spine's other writers (their statement trigger updates this row) are held back until
        this transaction ends."""
        if plan is None:
            return None
        assert self.model is not None
        execute(
            'SELECT 1 FROM core_tablerevision WHERE "table" = %s FOR UPDATE',
            [self.model._meta.db_table],
        )
        return plan if self._plan_state() == plan.state else None

    def _prepare(
        self, mapping: dict[str, str], options: PublishOptions, plan: PublishPlan | None
    ) -> None:
        """``_src`` checked, and what the writes need made first (not with a plan that holds:
        it was made only when there was nothing to make)."""
        self.validate(mapping, options.passed)
        if plan is None:
            if options.lookups is not None and self.join is not None and self.join.create:
                execute(self._insert_lookups_sql(options.lookups))
            for statement in self._prepare_sql():
                execute(statement)
        self._run_checks(options.passed)
        if not self.src_view:
            execute("ANALYZE _src")

    def _run_checks(self, passed: Collection[str]) -> None:
        """The target's own checks; the first failing row refuses the version."""
        for check in self.checks:
            if check.proof and check.proof in passed:
                continue
            row = fetch_one(check.query())
            if row:
                raise JobError(check.message.format(*row))

    def _classify(self, plan: PublishPlan | None) -> Planned:
        """``_plan``: the rows that differ, are gone or are new — from ``plan``, or by one
        join of the spine with ``_src`` (the writes then touch only those rows)."""
        if plan is not None:
            execute(
                sql.SQL("CREATE TEMP TABLE _plan ON COMMIT DROP AS SELECT tid, fid FROM {}").format(
                    qualified(plan.table)
                )
            )
        else:
            execute(
                sql.SQL("CREATE TEMP TABLE _plan ON COMMIT DROP AS {}").format(self._plan_sql())
            )
        execute("ANALYZE _plan")
        row = fetch_one(
            "SELECT count(*) FILTER (WHERE tid IS NOT NULL AND fid IS NOT NULL), "
            "count(*) FILTER (WHERE fid IS NULL), count(*) FILTER (WHERE tid IS NULL) "
            "FROM _plan"
        )
        assert row is not None
        return Planned(*row)

    def _update_changed(self) -> int:
        """The spine rows that differ, updated. (The tables are in memory: a few thousand
        rows are found by key, not by a scan of the million, which the default cost of a
        random page makes the planner prefer.)"""
        execute("SET LOCAL random_page_cost = 1.1")
        changed = execute(self._update_sql())
        execute("SET LOCAL random_page_cost TO DEFAULT")
        return changed

    def _delete_gone(self, n_gone: int, max_removed_share: float) -> int:
        """The spine rows gone from the version, deleted with what refers to them — unless
        that is more than ``max_removed_share`` of the spine (a partial delivery published as
        the whole layer would otherwise wipe the rest)."""
        n_spine = count_rows(self.spine)
        if n_gone > max_removed_share * n_spine:
            raise JobError(
                f"Nowa wersja usunęłaby {n_gone} z {n_spine} obiektów warstwy "
                f"„{self.label}” (ponad {max_removed_share:.0%}). Czy plik zawiera całą "
                "warstwę? Jeśli tak, zmień regułę „max_removed_share” zbioru."
            )
        assert self.model is not None
        execute("CREATE TEMP TABLE _gone ON COMMIT DROP AS SELECT tid FROM _plan WHERE fid IS NULL")
        detach_references(self.model, sql.SQL("SELECT * FROM _gone"))
        removed = execute(self._delete_sql())
        execute("DROP TABLE _gone")
        return removed

    def _insert_new(self, n_new: int) -> int:
        """The new rows inserted; a bulk of them (more than the spine holds) with the
        table's indexes and foreign keys rebuilt around the insert."""
        assert self.model is not None
        if n_new >= BULK_MIN_ROWS and n_new > count_rows(self.spine):
            with indexes_rebuilt(self.model._meta.db_table):
                return execute(self._insert_sql())
        return execute(self._insert_sql())
