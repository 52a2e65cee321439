"""More than one library at a time: `sccli library add/list/remove`, the config file, one index
over all of them, NAME/ID where two share an id, --library, --lang, and libraries that break."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_DATA, FIXTURES, settled
from sccli.cli import app
from sccli.search.store import fts5_available

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")

MEDLINEPLUS = FIXTURES / "medlineplus"
SAMPLE = MEDLINEPLUS / "mplus_topics_2012-07-21.xml"
FULL = MEDLINEPLUS / "mplus_topics_2024-06-06.xml.gz"
DEFINITIONS = MEDLINEPLUS / "generalhealthdefinitions.xml"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user of their own: config and cache folders that start empty."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def config(home: Path) -> Path:
    return home / "config" / "sccli" / "libraries.ini"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def copy(source: Path, target: Path) -> Path:
    if source.suffix == ".gz":
        target.write_bytes(gzip.decompress(source.read_bytes()))
    else:
        shutil.copyfile(source, target)
    return settled(target)


@pytest.fixture
def full(home: Path) -> Path:
    return copy(FULL, home / "mplus_topics_2024-06-06.xml")


def results(*args: str) -> list[tuple[str, str]]:
    code, out, err = run("search", *args, "--json")
    assert code == 0, err
    return [(hit["article"]["id"], hit["section"]["id"]) for hit in json.loads(out)["results"]]


def test_medlineplus_beside_the_packaged_library(home: Path, full: Path) -> None:
    code, out, err = run("library", "add", str(full))
    assert code == 0, err
    assert "Added the library 'medlineplus' (MedlinePlus health topics of 2024-06-06: 1,023 articles)" in " ".join(
        err.split()
    )
    assert f"path = {full}" in config(home).read_text()

    code, out, _ = run("library", "list", "--json")
    listed = {entry["name"]: entry for entry in json.loads(out)["libraries"]}
    assert listed["sccli"]["kind"] == "packaged" and listed["sccli"]["articles"] == 7
    assert listed["medlineplus"] == {
        "name": "medlineplus",
        "kind": "MedlinePlus health topics",
        "path": str(full),
        "articles": 1023,
        "terms": 0,
        "date": "2024-06-06",
        "languages": ["English"],
        "problem": None,
    }
    code, out, _ = run("library", "list")
    assert "medlineplus  MedlinePlus health topics · 1,023 articles · copy of 2024-06-06" in out

    # One search over both, on one scale: MedlinePlus topics and packaged sections together.
    found = {article for article, _ in results("diabetic", "nerve", "pain")}
    assert "painful-diabetic-neuropathy" in found
    assert found & {"diabetic-nerve-problems", "diabetic-foot", "diabetic-heart-disease"}
    assert "pacemakers-and-implantable-defibrillators" in {
        article for article, _ in results("pacemaker", "--limit", "3")
    }

    code, out, _ = run("show", "diabetic-nerve-problems")
    assert code == 0
    assert "Courtesy of MedlinePlus from the National Library of Medicine." in out
    assert "This copy, of 2024-06-06" in " ".join(out.split())
    code, out, _ = run("list")
    assert "living-with-a-stimulator" in out and "diabetic-nerve-problems" in out


def test_two_libraries_sharing_ids_are_told_apart_by_name(home: Path) -> None:
    mine = copy(FIXTURE_DATA, home / "mine.json")
    shutil.copyfile(Path(__file__).parent.parent / "data" / "articles.json", home / "ours.json")
    ours = settled(home / "ours.json")
    assert run("library", "add", str(ours), "--name", "ours")[0] == 0

    # Every packaged id is now shared: each is NAME/ID, and the bare id names both.
    code, _, err = run("show", "living-with-a-stimulator")
    assert code == 1
    assert "sccli/living-with-a-stimulator, ours/living-with-a-stimulator" in err
    code, out, _ = run("show", "ours/living-with-a-stimulator", "--json")
    assert json.loads(out)["article"]["id"] == "ours/living-with-a-stimulator"
    hits = results("airport")
    assert {article for article, _ in hits} == {"sccli/living-with-a-stimulator", "ours/living-with-a-stimulator"}
    # A related link stays inside its own library.
    code, out, _ = run("related", "ours/painful-diabetic-neuropathy", "--json")
    assert all(entry["id"].startswith("ours/") for entry in json.loads(out)["related"])

    # A unique id stays short, and NAME/ID finds it too.
    assert run("library", "remove", "ours")[0] == 0
    assert run("library", "add", str(mine))[0] == 0
    ids = [entry["id"] for entry in json.loads(run("list", "--json")[1])["articles"]]
    assert "living-with-a-stimulator" in ids and "sccli/living-with-a-stimulator" not in ids
    code, out, _ = run("show", "sccli/living-with-a-stimulator", "--json")
    assert code == 0 and json.loads(out)["article"]["id"] == "living-with-a-stimulator"
    code, _, err = run("show", "sccli/livng-with-a-stimulator")
    assert code == 1 and "Did you mean: sccli/living-with-a-stimulator?" in err


def test_a_library_that_moved_is_a_warning_and_the_others_are_read(home: Path) -> None:
    sample = copy(SAMPLE, home / "sample.xml")
    assert run("library", "add", str(sample), "--name", "old")[0] == 0
    sample.rename(home / "moved.xml")
    code, out, err = run("list")
    assert code == 0 and "living-with-a-stimulator" in out and "abdominal-pain" not in out
    assert err.count("\n") == 1
    assert err.startswith(f"Warning: the library 'old' is left out: {sample}: no such file or folder;")
    assert "sccli library remove old" in err
    code, out, _ = run("library", "list")
    assert "Cannot be read" in out
    code, _, err = run("library", "remove", "old")
    assert code == 0 and "Removed the library 'old'" in err
    assert "[old]" not in config(home).read_text()
    assert run("list")[2] == ""


def test_the_config_file_is_for_people_too(home: Path) -> None:
    (home / "notes").mkdir()
    (home / "notes" / "visit.md").write_text("# Clinic visit\n\nAsk about the trial week.\n")
    settled(home / "notes" / "visit.md")
    config(home).parent.mkdir(parents=True)
    config(home).write_text(
        "# my libraries\n[notes]\npath = ../../notes\n\n[Bad Name]\npath = x\n\n[empty]\n",
    )
    code, out, err = run("list")
    assert code == 0 and "visit" in out.split() and "Clinic visit" in out
    assert "[Bad Name] is not a library name" in err and "library 'empty' has no path" in err
    # Adding keeps what the person wrote.
    assert run("library", "add", str(SAMPLE), "--name", "sample")[0] == 0
    text = config(home).read_text()
    assert text.startswith("# my libraries\n[notes]") and "[sample]" in text
    config(home).write_text("[broken\n")
    code, out, err = run("list")
    assert code == 0 and "living-with-a-stimulator" in out
    assert "line 1 is not in an entry" in err


def test_library_narrows_a_command(home: Path) -> None:
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0
    code, out, _ = run("--library", "old", "list", "--json")
    # Narrowed, ids are NAME/ID, so that what is printed also works without --library.
    assert [entry["id"] for entry in json.loads(out)["articles"]] == ["old/abdominal-pain", "old/dolor-abdominal"]
    code, out, _ = run("--library", "old", "show", "abdominal-pain", "--json")  # the bare id still works
    assert json.loads(out)["article"]["id"] == "old/abdominal-pain"
    done = subprocess.run(  # after the command too, as every global option (the entry point moves it)
        [sys.executable, "-m", "sccli", "list", "--library", "sccli", "--library", "old", "--json"],
        capture_output=True,
        text=True,
    )
    assert len(json.loads(done.stdout)["articles"]) == 9
    code, _, err = run("--library", "olds", "list")
    assert code == 1 and err.startswith("Error: No library called 'olds'. Did you mean: old?")
    code, _, err = run("--data", str(FIXTURE_DATA), "--library", "old", "list")
    assert code == 2 and "cannot be used with --library" in err


def test_spanish_topics_by_language_and_without_accents(home: Path) -> None:
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0
    code, out, err = run("list", "--lang", "es", "--json")
    assert [entry["id"] for entry in json.loads(out)["articles"]] == ["old/dolor-abdominal"]
    assert err == ""  # its English counterpart is left out, not a link to nowhere
    assert results("estomago", "--lang", "es") == [("old/dolor-abdominal", "resumen")]
    assert results("estómago", "--lang", "es") == [("old/dolor-abdominal", "resumen")]
    english = {article for article, _ in results("abdominal", "pain", "--lang", "en")}
    assert "old/abdominal-pain" in english and "old/dolor-abdominal" not in english
    assert run("show", "old/dolor-abdominal")[0] == 0  # a hint from --lang works without it
    code, _, _ = run("search", "dolor", "--lang", "en")
    assert code == 1


def test_definitions_add_words_to_define(home: Path) -> None:
    code, _, err = run("library", "add", str(DEFINITIONS))
    assert code == 0, err
    assert "'medlineplus-definitions' (MedlinePlus definitions of " in (" ".join(err.split()))
    code, out, _ = run("define", "blood pressure", "--json")
    entry = json.loads(out)
    assert (
        entry["id"] == "blood-pressure" and entry["source"]["publisher"] == "National Heart, Lung, and Blood Institute"
    )
    code, out, _ = run("define", "paresthesia")
    assert code == 0  # the packaged glossary is still there


def test_adding_what_cannot_be_read_adds_nothing(home: Path) -> None:
    broken = home / "broken.xml"
    broken.write_text("<health-topics>\n<health-topic title='x'>\n</health-topics>\n")
    code, _, err = run("library", "add", str(broken))
    assert code == 1 and err.startswith(f"Error: {broken}: not well-formed XML at line 3, column")
    assert not config(home).exists()
    code, _, err = run("library", "add", str(home / "nothing.xml"))
    assert (code, err) == (1, f"Error: {home / 'nothing.xml'}: no such file or folder.\n")
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0
    code, _, err = run("library", "add", str(DEFINITIONS), "--name", "old")
    assert code == 1 and "a library called 'old' exists already" in err
    code, _, err = run("library", "add", str(DEFINITIONS), "--name", "Not/A name")
    assert code == 2 and "--name 'Not/A name': use lower-case words joined by hyphens" in err
    code, _, err = run("library", "add", str(SAMPLE))
    assert code == 1 and "is already the library 'old'" in err
    code, _, err = run("library", "remove", "sccli")
    assert code == 1 and "the packaged library cannot be removed" in err


def test_a_damaged_shared_index_is_rebuilt(home: Path) -> None:
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0
    [index] = (home / "cache" / "sccli").glob("libraries-*.sqlite3")
    conn = sqlite3.connect(index)
    conn.execute("UPDATE articles SET article = x'00000000' WHERE id = 'abdominal-pain'")
    conn.commit()
    conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "sccli", "show", "abdominal-pain", "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Warning: the index of your libraries was damaged; rebuilding it.\n"


def test_a_folder_of_notes_beside_the_packaged_library(home: Path) -> None:
    notes = home / "notes"
    shutil.copytree(FIXTURES / "markdown", notes)
    for note in notes.rglob("*.md"):
        settled(note)
    code, _, err = run("library", "add", str(notes))
    assert code == 0, err
    assert "Added the library 'notes' (Markdown notes of " in err and ": 4 articles)" in err
    assert "2 articles list no sources: 'questions-for-dr-lee', 'things-that-help'" in err
    code, out, _ = run("show", "pain-diary", "--json")
    article = json.loads(out)["article"]
    assert article["title"] == "My pain diary" and article["sources"][0]["publisher"] == "Mayo Clinic"
    hits = results("burning", "feet")
    assert hits[0][0] in {"pain-diary", "things-that-help"}
    assert run("list")[2] == ""  # the "no sources" warning comes when the notes are indexed, not on every run

    # A note edited, added or removed is read again on the next run.
    (notes / "new.md").write_text("# Snorkel club\n\nSnorkelling in warm water helps my feet.\n")
    settled(notes / "new.md")
    assert results("snorkel") == [("new", "notes")]
    (notes / "new.md").unlink()
    code, _, _ = run("search", "snorkel", "--exact")
    assert code == 1


@pytest.mark.parametrize("xdg", [None, "", "  ", "/somewhere/config"])
def test_the_config_file_is_where_platformdirs_says(xdg: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from sccli import cli, libraries

    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    expected = platformdirs.user_config_path("sccli", appauthor=False) / libraries.CONFIG_NAME
    assert Path(cli._config_file()) == expected


def test_english_word_forms_never_touch_a_spanish_only_index() -> None:
    from sccli.catalog import open_chosen
    from sccli.data import packaged_data_path
    from sccli.libraries import Shelf, choose

    shelves = [Shelf("old", str(SAMPLE))]
    spanish = choose(None, shelves, (), "es", packaged_data_path())
    english = choose(None, shelves, (), "en", packaged_data_path())
    mixed = choose(None, shelves, (), None, packaged_data_path())
    stems = {
        name: open_chosen(source, None)[0].index.stem  # type: ignore[union-attr]
        for name, source in (("es", spanish), ("en", english), ("all", mixed))
    }
    assert stems["es"]("presiones") == "presiones" and stems["es"]("médicos") == "medicos"  # accents still fold
    assert stems["en"]("pressures") == stems["all"]("pressures") == "pressur"


def test_damage_found_part_way_through_a_listing_is_never_listed_twice(home: Path) -> None:
    notes = home / "notes"
    notes.mkdir()
    for number in range(30):
        (notes / f"note-{number:02}.md").write_text(f"# Note {number}\n\nText of note {number}.\n")
        settled(notes / f"note-{number:02}.md")
    settled(notes)
    assert run("library", "add", str(notes))[0] == 0
    [index] = (home / "cache" / "sccli").glob("libraries-*.sqlite3")
    conn = sqlite3.connect(index)
    conn.execute("UPDATE articles SET article = x'00000000' WHERE id = 'note-20'")
    conn.commit()
    conn.close()
    for json_output in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "sccli", "list", *json_output], capture_output=True, text=True)
        assert done.returncode == 1
        assert done.stderr == (
            "Error: the index of your libraries was found damaged part way through; "
            "it will be built again on the next run.\n"
        )
        assert done.stdout.count("note-05") == 1  # what was listed is not listed again
        again = subprocess.run([sys.executable, "-m", "sccli", "list", *json_output], capture_output=True, text=True)
        assert again.returncode == 0 and again.stdout.count("note-20") == 1, again.stderr
        if json_output:
            assert len(json.loads(again.stdout)["articles"]) == 37
        conn = sqlite3.connect(next((home / "cache" / "sccli").glob("libraries-*.sqlite3")))
        conn.execute("UPDATE articles SET article = x'00000000' WHERE id = 'note-20'")
        conn.commit()
        conn.close()


def test_a_note_that_cannot_be_read_is_left_out_and_said(home: Path) -> None:
    notes = home / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("---\nrelated: [sccli/living-with-a-stimulator]\n---\n# Good\n\nFine text.\n")
    (notes / "bad.md").write_text("---\nreviewed: notadate\n---\n# Bad\n\nText.\n")
    (notes / "empty.md").write_text("")
    for note in [*notes.iterdir(), notes]:
        settled(note)
    code, _, err = run("library", "add", str(notes))
    assert code == 0, err
    assert f"{notes / 'bad.md'}: line 2:" in err and "the note is left out" in err
    assert f"{notes / 'empty.md'}: the note has no text to show; the note is left out" in err
    code, out, _ = run("related", "good", "--json")  # a link to another library's article, by NAME/ID
    assert [entry["id"] for entry in json.loads(out)["related"]] == ["living-with-a-stimulator"]
    code, out, err = run("--data", str(notes), "list")  # the same with --data
    assert code == 0 and "good" in out.split() and "the note is left out" in err


def test_what_cannot_be_written_in_the_config_file_is_refused(home: Path) -> None:
    odd = home / "new\nline.xml"
    shutil.copyfile(DEFINITIONS, odd)
    code, _, err = run("library", "add", str(odd))
    assert code == 1 and "cannot be written in the libraries file" in err and "\n" not in err.rstrip("\n")
    assert not config(home).exists()
    packaged = Path(__file__).parent.parent / "data" / "articles.json"
    code, _, err = run("library", "add", str(packaged))
    assert code == 1 and "is the packaged library, which sccli always reads" in err


def test_editing_the_config_file_keeps_what_people_wrote(home: Path) -> None:
    config(home).parent.mkdir(parents=True)
    real = home / "dotfiles" / "libraries.ini"
    real.parent.mkdir()
    real.write_text(f"[a]\npath = {SAMPLE}\n\n# the definitions, from MedlinePlus\n[b]\npath = {DEFINITIONS}\n")
    config(home).symlink_to(real)
    assert run("library", "remove", "a")[0] == 0
    assert config(home).is_symlink()  # a dotfiles link stays a link; the file it names is edited
    assert real.read_text() == f"\n# the definitions, from MedlinePlus\n[b]\npath = {DEFINITIONS}\n"
    real.write_text(real.read_text() + f"[b]\npath = {SAMPLE}\n[c]\npath = {SAMPLE}\npath = {DEFINITIONS}\n")
    _, out, err = run("library", "list", "--json")
    assert [entry["name"] for entry in json.loads(out)["libraries"]] == ["sccli", "b"]
    assert "[b] appears twice; the first is read" in err
    assert f"{config(home)}: the entry [c] gives 'path' more than once; skipped." in err


def test_library_alone_shows_its_help_and_sccli_data_gives_way(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run("library")
    assert code == 0 and out.startswith("Usage: sccli library [OPTIONS] COMMAND [ARGS]...") and err == ""
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0
    monkeypatch.setenv("SCCLI_DATA", str(FIXTURE_DATA))
    code, out, err = run("--library", "old", "list", "--json")  # typed --library wins over SCCLI_DATA
    assert code == 0 and len(json.loads(out)["articles"]) == 2
    code, out, _ = run("library", "list", "--json")
    assert [entry["name"] for entry in json.loads(out)["libraries"]] == ["sccli", "old"]
    code, _, err = run("--data", str(FIXTURE_DATA), "library", "list")
    assert code == 2 and "cannot be used with --library or sccli library" in err


def test_nothing_to_list_says_so(home: Path) -> None:
    code, out, _ = run("library", "list", "--json")  # none added: the packaged one
    assert [(entry["name"], entry["kind"], entry["articles"]) for entry in json.loads(out)["libraries"]] == [
        ("sccli", "packaged", 7)
    ]
    code, out, err = run("list", "--lang", "es")
    assert (code, out) == (1, "")
    assert err.startswith("Error: No articles in Spanish in the libraries read.")


def test_another_copy_of_a_library_is_a_warning(home: Path, full: Path) -> None:
    assert run("library", "add", str(full))[0] == 0
    copied = copy(FULL, home / "mplus_topics_copy.xml")
    code, _, err = run("library", "add", str(copied), "--name", "copy")
    assert code == 0
    assert "most articles of 'copy' have the same ids as those of 'medlineplus' (another copy of it?)" in err
    assert "run 'sccli library remove medlineplus'" in err


def test_the_cache_folder_does_not_grow_without_end(home: Path) -> None:
    import os
    import time

    folder = home / "cache" / "sccli"
    folder.mkdir(parents=True, mode=0o700)
    old = time.time() - 40 * 24 * 3600
    leftovers = [
        folder / "libraries-0123.sqlite3",
        folder / "libraries-0123.sqlite3.x1.tmp",
        folder / "index-9.sqlite3",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"")
        os.utime(leftover, (old, old))
    recent = folder / "libraries-4567.sqlite3"
    recent.write_bytes(b"")
    assert run("library", "add", str(SAMPLE), "--name", "old")[0] == 0  # a build sweeps the folder
    assert not any(leftover.exists() for leftover in leftovers) and recent.exists()
    [used] = [path for path in folder.glob("libraries-*.sqlite3") if path != recent]
    os.utime(used, (old, old))
    assert run("list")[0] == 0
    assert used.stat().st_mtime > old + 3600  # opening it marks it used


def test_a_json_lines_library(home: Path) -> None:
    document = json.loads(FIXTURE_DATA.read_text())
    path = home / "mine.jsonl"
    header = {key: value for key, value in document.items() if key != "articles"}
    path.write_text("".join(json.dumps(line) + "\n" for line in [header, *document["articles"]]))
    settled(path)
    code, _, err = run("library", "add", str(path))
    assert code == 0 and "Added the library 'mine' (sccli JSON Lines of " in err
    code, out, _ = run("--library", "mine", "list", "--json")
    assert len(json.loads(out)["articles"]) == len(document["articles"])
