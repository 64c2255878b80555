"""drop the source_version indexes on region_code and class_code

No query filters or sorts source_version by region_code or class_code (every SELECT of a build
and of an import has the same SQLite query plan with and without them), but every imported
version row paid for both: about 0.12 s of inserting the rows of a 10^5-row boiler workbook
(docs/performance.md, "Import"). The foreign keys stay; region and source_class rows are only ever added or updated,
never deleted or re-keyed, so no parent-side check needs the child index either.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 10:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_version_region_code"))
        batch_op.drop_index(batch_op.f("ix_source_version_class_code"))


def downgrade() -> None:
    with op.batch_alter_table("source_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_version_class_code"), ["class_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_source_version_region_code"), ["region_code"], unique=False
        )
