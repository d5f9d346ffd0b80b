"""import_organisations: all or nothing, errors named by row and column, re-import is a no-op."""

import pytest
from django.core.management import CommandError, call_command

from directory.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "ods_code,name,kind,icb\n"
GOOD = (
    HEADER
    + "QMF,NHS North East London ICB,icb,\n"
    + "R1H,Barts Health NHS Trust,trust,QMF\n"
    + "F84001,Clapton Surgery,gp_practice,QMF\n"
)


def write(tmp_path, text: str):
    path = tmp_path / "organisations.csv"
    path.write_text(text)
    return str(path)


def test_good_file_imports_every_organisation_with_its_icb(tmp_path):
    call_command("import_organisations", write(tmp_path, GOOD))
    practice = Organisation.objects.get(ods_code="F84001")
    assert (practice.kind, practice.icb.ods_code) == ("gp_practice", "QMF")
    assert Organisation.objects.count() == 3


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    call_command("import_organisations", path)
    before = list(Organisation.objects.order_by("ods_code").values())
    call_command("import_organisations", path)
    assert list(Organisation.objects.order_by("ods_code").values()) == before


def test_one_bad_row_imports_nothing_and_names_row_and_column(tmp_path):
    text = GOOD + "F84002,Bad Kind Surgery,surgery,QMF\n"
    with pytest.raises(CommandError) as caught:
        call_command("import_organisations", write(tmp_path, text))
    assert "row 5, column kind" in str(caught.value)
    assert not Organisation.objects.exists()


def test_unknown_icb_is_named(tmp_path):
    text = HEADER + "F84001,Clapton Surgery,gp_practice,QZZ\n"
    with pytest.raises(CommandError, match="row 2, column icb: no ICB with ODS code QZZ"):
        call_command("import_organisations", write(tmp_path, text))


def test_bad_ods_code_is_named(tmp_path):
    text = HEADER + "f8-4,Clapton Surgery,icb,\n"
    with pytest.raises(CommandError, match="row 2, column ods_code"):
        call_command("import_organisations", write(tmp_path, text))


def test_duplicate_ods_code_in_the_file_is_named(tmp_path):
    text = GOOD + "R1H,Barts again,trust,QMF\n"
    with pytest.raises(CommandError, match="row 5, column ods_code: R1H appears again"):
        call_command("import_organisations", write(tmp_path, text))


def test_missing_column_is_named(tmp_path):
    with pytest.raises(CommandError, match="row 1, column icb: this column is missing"):
        call_command("import_organisations", write(tmp_path, "ods_code,name,kind\nQMF,X,icb\n"))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_organisations", str(tmp_path / "nope.csv"))
