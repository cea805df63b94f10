"""A bulk-writer batch that puts rows in every table of the schema (the sample data leaves some
empty), for round trips and writer tests."""

from __future__ import annotations

import datetime as dt

from kanban.services.bulk import (
    ActivityRecord,
    ChecklistLineRecord,
    ChecklistTemplateRecord,
    ColumnRecord,
    CommentRecord,
    ImportBatch,
    ImportLogRecord,
    ItemFieldRecord,
    ItemRecord,
    LabelRecord,
    LinkRecord,
    MemberRecord,
    ProductRecord,
    QuestionRecord,
    ReadinessRuleRecord,
    ReleaseRecord,
    ResourceLinkRecord,
    RuleConfirmationRecord,
    SprintEntryRecord,
    SprintMemberRecord,
    SprintRecord,
    StakeholderRecord,
    StatusUpdateRecord,
    TargetChangeRecord,
    TransitionRecord,
)

T0 = dt.datetime(2026, 2, 2, 9, 30)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def full_batch(key: str = "FULL", name: str = "Every table") -> ImportBatch:
    """One product with a row in every table, and the people it needs."""
    moves = (
        TransitionRecord(at=at(0), to_column_id="todo", to_category="todo"),
        TransitionRecord(
            at=at(5), from_column_id="todo", from_category="todo", to_column_id="doing",
            to_category="doing",
        ),
    )  # fmt: skip
    items = [
        ItemRecord(
            ref="story", title="A story with everything", column_id="doing", points=3,
            business_value=40, sprint_id="s1", epic_id="epic", release_id="r1",
            assignee_id="ana", requested_by_id="maria", due_date=dt.date(2026, 3, 1),
            blocked_reason="Waiting for the API key", created_at=at(0), updated_at=at(6),
            started_at=at(5), external_key="SHOP-12", time_criticality=3, risk_reduction=1,
            job_size=5, reach=1000, impact=2, confidence=0.8, effort=4,
            labels=("ux", "api"), transitions=moves,
            comments=(CommentRecord(text="Looks good", at=at(2), author="Ben"),
                      CommentRecord(text="Edited", at=at(3), edited_at=at(4), deleted=True)),
            checklist=(ChecklistLineRecord(text="Works offline", done=True, done_at=at(5)),
                       ChecklistLineRecord(text="Has a test", position=3)),
            links=(LinkRecord(target_id="bug", type="blocks", created_at=at(1)),),
            resources=(ResourceLinkRecord(target="https://example.com/spec", title="Spec"),),
            fields=(ItemFieldRecord(name="Reporter", value="Priya"),
                    ItemFieldRecord(name="Trello id", value="5f2a")),
            sprint_entries=(SprintEntryRecord(sprint_id="s1", added_at=at(1),
                                              carried_from_id="s0"),),
            confirmations=(RuleConfirmationRecord(rule_id="ready", at=at(1), actor="po"),),
        ),
        ItemRecord(
            ref="bug", title="A bug further down", kind="bug", column_id="todo",
            created_at=at(1), transitions=(moves[0]._replace(at=at(1)),),
            links=(LinkRecord(target_id="story", type="relates_to", created_at=at(2)),),
        ),
        ItemRecord(ref="epic", title="The epic", kind="epic", column_id="todo", created_at=at(0)),
    ]  # fmt: skip
    product = ProductRecord(
        ref=key, key=key, name=name, vision="Everything in one place", created_at=T0,
        target_date=dt.date(2026, 6, 30), points_scale="1,2,3,5,8", followers=("maria",),
        columns=(ColumnRecord(ref="todo", name="To Do", category="todo"),
                 ColumnRecord(ref="doing", name="Doing", category="doing", wip_limit=3),
                 ColumnRecord(ref="done", name="Done", category="done")),
        labels=(LabelRecord(ref="ux", name="ux", color="#9467bd"),
                LabelRecord(ref="api", name="api")),
        sprints=(
            SprintRecord(ref="s0", name="Sprint 0", state="closed", start_date=dt.date(2026, 1, 19),
                         end_date=dt.date(2026, 2, 1), started_at=at(-300), closed_at=at(-10),
                         goal_met=False),
            SprintRecord(ref="s1", name="Sprint 1", state="active", goal="Ship it",
                         start_date=dt.date(2026, 2, 2), end_date=dt.date(2026, 2, 15),
                         started_at=at(0), capacity_unit="days",
                         members=(SprintMemberRecord(member_id="ana", capacity=8, days_off=1),)),
        ),
        releases=(ReleaseRecord(ref="r1", name="1.0", target_date=dt.date(2026, 4, 1),
                                notes="First"),),
        readiness_rules=(ReadinessRuleRecord(ref="ready", definition="ready", rule="custom",
                                             text="The team has seen it"),
                         ReadinessRuleRecord(ref="pts", definition="ready", rule="has_points"),
                         ReadinessRuleRecord(ref="dod", definition="done", rule="criteria_done",
                                             position=0)),
        checklist_templates=(ChecklistTemplateRecord(text="Reviewed"),
                             ChecklistTemplateRecord(text="Reproduced", kind="bug", position=0)),
        items=iter(items),
        questions=(QuestionRecord(text="Offline too?", asked_at=at(2), item_id="story",
                                  asked_by_id="ana", urgency="high", state="answered",
                                  answer="Yes", answered_by="po", answered_at=at(3)),),
        status_updates=(StatusUpdateRecord(
            created_at=at(8), period_start=dt.date(2026, 1, 26), period_end=dt.date(2026, 2, 2),
            health="at_risk", headline="Slipping", snapshot={"schema": 1, "figures": {"done": 0}},
            recipients=("maria",), target_date=dt.date(2026, 6, 30),
            forecast_p50=dt.date(2026, 7, 3), forecast_p85=dt.date(2026, 7, 20)),),
        target_changes=(TargetChangeRecord(at=at(7), previous=dt.date(2026, 6, 1),
                                           target=dt.date(2026, 6, 30), reason="Scope"),
                        TargetChangeRecord(at=at(7), target=dt.date(2026, 4, 1), release_id="r1")),
        activities=(ActivityRecord(at=at(0), action="created", actor="po", item_id="story",
                                   detail="FULL-1 A story with everything"),
                    ActivityRecord(at=at(0), action="product_created", actor="po")),
    )  # fmt: skip
    return ImportBatch(
        members=(MemberRecord(ref="ana", name="Ana Silva", role="Developer"),),
        stakeholders=(StakeholderRecord(ref="maria", name="Maria Keller", email="m@example.com"),),
        products=(product,),
        activities=(ActivityRecord(at=T0, action="member_added", actor="po", detail="Ana Silva"),),
        imports=(ImportLogRecord(source="trello", sha256="ab" * 32, at=at(9),
                                 file_name="board.json", product_id=key),),
    )  # fmt: skip
