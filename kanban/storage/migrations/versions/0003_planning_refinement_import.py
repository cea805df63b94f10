"""the second wave's tables: releases, target history, checklists, comments, links, readiness,
sprint scope and capacity, scores, imports

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Additive only: new tables, and new columns on existing ones (nullable, or NOT NULL with a
default for the rows already there). SQLite rebuilds ``items`` (a foreign key and a CHECK
cannot be added to a table in place); every other table gets ``ALTER TABLE ADD COLUMN``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FIBONACCI_SCALE = "0,1,2,3,5,8,13,21"

ITEM_SCORES = (
    "time_criticality",
    "risk_reduction",
    "job_size",
    "reach",
    "impact",
    "confidence",
    "effort",
)
ITEM_KINDS = "'story', 'bug', 'task', 'spike', 'epic'"


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "releases",
        _id(),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_releases_name_not_empty")),
        sa.CheckConstraint("state IN ('planned', 'released')", name=op.f("ck_releases_state")),
        _fk("releases", "product_id", "products", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
        sa.UniqueConstraint("product_id", "name", name=op.f("uq_releases_product_id_name")),
    )
    op.create_table(
        "target_changes",
        _id(),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("previous", sa.Date(), nullable=True),
        sa.Column("target", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        _fk("target_changes", "product_id", "products", "CASCADE"),
        _fk("target_changes", "release_id", "releases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_changes")),
    )
    op.create_index(op.f("ix_target_changes_product_id"), "target_changes", ["product_id", "at"])
    op.create_table(
        "checklist_items",
        _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "length(trim(text)) > 0", name=op.f("ck_checklist_items_text_not_empty")
        ),
        _fk("checklist_items", "item_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
    )
    op.create_index(op.f("ix_checklist_items_item_id"), "checklist_items", ["item_id", "position"])
    op.create_table(
        "checklist_templates",
        _id(),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "length(trim(text)) > 0", name=op.f("ck_checklist_templates_text_not_empty")
        ),
        sa.CheckConstraint(
            f"kind IS NULL OR kind IN ({ITEM_KINDS})", name=op.f("ck_checklist_templates_kind")
        ),
        _fk("checklist_templates", "product_id", "products", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_templates")),
    )
    op.create_table(
        "comments",
        _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        _fk("comments", "item_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_item_id"), "comments", ["item_id", "at"])
    op.create_table(
        "item_links",
        _id(),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "type IN ('blocks', 'relates_to', 'duplicates')", name=op.f("ck_item_links_type")
        ),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_item_links_not_itself")),
        _fk("item_links", "source_id", "items", "CASCADE"),
        _fk("item_links", "target_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_links")),
        sa.UniqueConstraint(
            "source_id", "target_id", "type", name=op.f("uq_item_links_source_id_target_id_type")
        ),
    )
    op.create_index(op.f("ix_item_links_target_id"), "item_links", ["target_id"])
    op.create_table(
        "resource_links",
        _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "length(trim(target)) > 0", name=op.f("ck_resource_links_target_not_empty")
        ),
        _fk("resource_links", "item_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_links")),
    )
    op.create_index(op.f("ix_resource_links_item_id"), "resource_links", ["item_id"])
    op.create_table(
        "readiness_rules",
        _id(),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("definition", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "definition IN ('ready', 'done')", name=op.f("ck_readiness_rules_definition")
        ),
        sa.CheckConstraint(
            "rule IN ('has_points', 'has_criteria', 'no_open_questions', 'not_blocked', "
            "'criteria_done', 'custom')",
            name=op.f("ck_readiness_rules_rule"),
        ),
        sa.CheckConstraint(
            "rule <> 'custom' OR length(trim(text)) > 0",
            name=op.f("ck_readiness_rules_custom_text"),
        ),
        _fk("readiness_rules", "product_id", "products", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_rules")),
    )
    op.create_index(
        "ix_readiness_rules_product_id", "readiness_rules", ["product_id", "definition"]
    )
    op.create_table(
        "rule_confirmations",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        _fk("rule_confirmations", "item_id", "items", "CASCADE"),
        _fk("rule_confirmations", "rule_id", "readiness_rules", "CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "rule_id", name=op.f("pk_rule_confirmations")),
    )
    op.create_table(
        "sprint_entries",
        _id(),
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        _fk("sprint_entries", "sprint_id", "sprints", "CASCADE"),
        _fk("sprint_entries", "item_id", "items", "CASCADE"),
        _fk("sprint_entries", "carried_from_id", "sprints", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sprint_entries")),
    )
    op.create_index(op.f("ix_sprint_entries_sprint_id"), "sprint_entries", ["sprint_id"])
    op.create_index(op.f("ix_sprint_entries_item_id"), "sprint_entries", ["item_id"])
    op.create_table(
        "sprint_members",
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Float(), nullable=False),
        sa.Column("days_off", sa.Float(), nullable=False),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_sprint_members_capacity_not_negative")),
        sa.CheckConstraint("days_off >= 0", name=op.f("ck_sprint_members_days_off_not_negative")),
        _fk("sprint_members", "sprint_id", "sprints", "CASCADE"),
        _fk("sprint_members", "member_id", "team_members", "CASCADE"),
        sa.PrimaryKeyConstraint("sprint_id", "member_id", name=op.f("pk_sprint_members")),
    )
    op.create_table(
        "item_fields",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _fk("item_fields", "item_id", "items", "CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "name", name=op.f("pk_item_fields")),
    )
    op.create_table(
        "imports",
        _id(),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        _fk("imports", "product_id", "products", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])

    op.add_column("products", sa.Column("target_date", sa.Date(), nullable=True))
    op.add_column(
        "products",
        sa.Column(
            "points_scale",
            sa.String(length=200),
            nullable=False,
            server_default=FIBONACCI_SCALE,
        ),
    )
    for name, column in (
        ("started_at", sa.Column("started_at", sa.DateTime(), nullable=True)),
        ("closed_at", sa.Column("closed_at", sa.DateTime(), nullable=True)),
        ("goal_met", sa.Column("goal_met", sa.Boolean(), nullable=True)),
    ):
        assert column.name == name
        op.add_column("sprints", column)
    op.add_column(
        "sprints",
        sa.Column("capacity_unit", sa.String(length=10), nullable=False, server_default="points"),
    )
    op.add_column(
        "stakeholders",
        sa.Column("email", sa.String(length=320), nullable=False, server_default=""),
    )
    for name in ("target_date", "forecast_p50", "forecast_p85"):
        op.add_column("status_updates", sa.Column(name, sa.Date(), nullable=True))

    new_item_columns = [
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("external_key", sa.String(length=100), nullable=True),
        *(sa.Column(name, sa.Float(), nullable=True) for name in ITEM_SCORES),
    ]
    confidence = "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)"
    if sqlite:
        with op.batch_alter_table(
            "items", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            for column in new_item_columns:
                batch.add_column(column)
            batch.create_foreign_key(
                op.f("fk_items_release_id_releases"),
                "releases",
                ["release_id"],
                ["id"],
                ondelete="SET NULL",
            )
            batch.create_check_constraint(op.f("ck_items_confidence_share"), confidence)
    else:
        for column in new_item_columns:
            op.add_column("items", column)
        op.create_foreign_key(
            op.f("fk_items_release_id_releases"),
            "items",
            "releases",
            ["release_id"],
            ["id"],
            ondelete="SET NULL",
        )
        op.create_check_constraint(op.f("ck_items_confidence_share"), "items", confidence)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with op.batch_alter_table(
            "items", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.drop_constraint("ck_items_confidence_share", type_="check")
            batch.drop_constraint("fk_items_release_id_releases", type_="foreignkey")
            for name in ("release_id", "external_key", *ITEM_SCORES):
                batch.drop_column(name)
    else:
        op.drop_constraint("ck_items_confidence_share", "items", type_="check")
        op.drop_constraint("fk_items_release_id_releases", "items", type_="foreignkey")
        for name in ("release_id", "external_key", *ITEM_SCORES):
            op.drop_column("items", name)
    for name in ("target_date", "forecast_p50", "forecast_p85"):
        op.drop_column("status_updates", name)
    op.drop_column("stakeholders", "email")
    for name in ("started_at", "closed_at", "goal_met", "capacity_unit"):
        op.drop_column("sprints", name)
    for name in ("target_date", "points_scale"):
        op.drop_column("products", name)
    for table in (
        "imports",
        "item_fields",
        "sprint_members",
        "sprint_entries",
        "rule_confirmations",
        "readiness_rules",
        "resource_links",
        "item_links",
        "comments",
        "checklist_templates",
        "checklist_items",
        "target_changes",
        "releases",
    ):
        op.drop_table(table)
