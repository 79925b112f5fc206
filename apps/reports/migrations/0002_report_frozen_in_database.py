from django.db import migrations

FROZEN = """
CREATE OR REPLACE FUNCTION reports_report_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'locked' THEN
        RAISE EXCEPTION 'reports_report %: a locked report cannot be changed (%)', OLD.id, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'reports_report %: a submitted report cannot be deleted', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    -- A submitted report keeps its figures until it is returned to draft (which clears them).
    IF OLD.status = 'submitted' AND NEW.status <> 'draft' AND NEW.snapshot IS DISTINCT FROM OLD.snapshot THEN
        RAISE EXCEPTION 'reports_report %: the figures of a submitted report are frozen', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_report_frozen
    BEFORE UPDATE OR DELETE ON reports_report
    FOR EACH ROW EXECUTE FUNCTION reports_report_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_report_frozen ON reports_report;
DROP FUNCTION IF EXISTS reports_report_frozen();
"""


class Migration(migrations.Migration):
    """Locked reports and the frozen figures of submitted ones are refused changes by the database itself."""

    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunSQL(FROZEN, DROP)]
