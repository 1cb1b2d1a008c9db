"""``kg query`` and ``kg run`` end to end: output formats, parameters, refusals, errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli.query_cmds import parse_param
from kg.graph.persistence import save_graph
from tests.cypher_fixtures import (
    COCO,
    IMAGENET,
    P1,
    P2,
    P3,
    P4,
    P5,
    SAM_METHOD,
    SAM_MODEL,
    TITLES,
    build_corpus_graph,
    corpus_dir,  # noqa: F401  (fixture)
)

runner = CliRunner()


def kg(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_query_json_is_a_list_of_objects(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, stderr = kg(
        "query",
        "MATCH (c:Concept {kind: $kind}) "
        "RETURN c.name AS name, c.aliases AS aliases, c.paper_count AS n ORDER BY name",
        "-p",
        "kind=Dataset",
        "--format",
        "json",
        "-g",
        str(corpus_dir),
    )
    assert code == 0, stderr
    assert json.loads(stdout) == [
        {"name": "ADE20K", "aliases": [], "n": 2},
        {"name": "COCO", "aliases": ["MS-COCO"], "n": 4},
        {"name": "ImageNet", "aliases": ["ILSVRC", "ImageNet-1k"], "n": 4},
    ]
    assert stdout.startswith('[\n  {\n    "name": "ADE20K",')
    assert re.fullmatch(r"3 rows \(\d+ ms\)\n", stderr)


def test_query_csv_exact(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, _ = kg(
        "query",
        "MATCH (p:Paper)-[:USES]->(c:Concept {id: $c}) "
        "RETURN p.id AS id, p.year AS year, p.authors AS authors ORDER BY id",
        "-p",
        f"c={COCO}",
        "-f",
        "csv",
        "-g",
        str(corpus_dir),
    )
    assert code == 0
    assert stdout == (
        "id,year,authors\n"
        f'{P2},2024,"[""A. Author"", ""B. Author""]"\n'
        f'{P3},2023,"[""A. Author"", ""B. Author""]"\n'
        f'{P4},2022,"[""A. Author"", ""B. Author""]"\n'
        f'{P5},,"[""A. Author"", ""B. Author""]"\n'
    )


def test_query_table_shows_every_row(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, _ = kg(
        "query",
        "MATCH (c:Concept) WHERE c.kind = 'Dataset' RETURN c.name AS name ORDER BY name",
        "-g",
        str(corpus_dir),
    )
    assert code == 0
    lines = [line.strip("│ ") for line in stdout.splitlines()]
    assert "name" in lines[1]
    assert [line for line in lines if line in {"ADE20K", "COCO", "ImageNet"}] == [
        "ADE20K",
        "COCO",
        "ImageNet",
    ]


def test_parameter_values_are_typed(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, _ = kg(
        "query",
        "RETURN $n AS n, $f AS f, $b AS b, $l AS l, $s AS s, $q AS q, $e AS e",
        *("-p", "n=5", "-p", "f=0.5", "-p", "b=true", "-p", 'l=["a", 1]', "-p", "s=ImageNet"),
        *("-p", 'q="quoted"', "-p", "e=a=b"),
        "-f",
        "json",
        "-g",
        str(corpus_dir),
    )
    assert code == 0
    assert json.loads(stdout) == [
        {"n": 5, "f": 0.5, "b": True, "l": ["a", 1], "s": "ImageNet", "q": '"quoted"', "e": "a=b"}
    ]
    assert parse_param("x={}") == ("x", "{}")
    assert parse_param("x=null") == ("x", "null")
    with pytest.raises(ValueError, match="parameter 'novalue' must look like name=value"):
        parse_param("novalue")


def test_write_clause_is_refused_without_write(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, stderr = kg("query", "match (n) detach delete n", "-g", str(corpus_dir))
    assert code == 1
    assert stdout == ""
    assert stderr == (
        "error: refused: DETACH at line 1, column 11: queries are read-only unless writes are allowed "
        "(kg query --write, or write=True in Python)\n"
    )
    code, stdout, _ = kg("query", "MATCH (p:Paper) RETURN count(p) AS n", "-f", "csv", "-g", str(corpus_dir))
    assert stdout == "n\n6\n"


def test_write_with_flag(tmp_path: Path) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")
    code, stdout, stderr = kg(
        "query",
        "MATCH (p:Paper {id: $id}) SET p.starred = true RETURN p.id AS id, p.starred AS starred",
        "-p",
        f"id={P1}",
        "--write",
        "-f",
        "json",
        "-g",
        str(tmp_path / "g"),
    )
    assert code == 0, stderr
    assert json.loads(stdout) == [{"id": P1, "starred": True}]


def test_engine_errors_are_one_line_without_traceback(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, stderr = kg("query", "MATCH (n:Paper RETURN n", "-g", str(corpus_dir))
    assert code == 1 and stdout == ""
    assert stderr.startswith("error: Syntax error at line 1:15 - mismatched input 'RETURN' expecting")
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


def test_missing_graph(tmp_path: Path) -> None:
    code, _, stderr = kg("query", "RETURN 1 AS x", "-g", str(tmp_path / "none"))
    assert code == 1
    assert stderr.startswith(f"error: no graph directory at {tmp_path / 'none'} (build one with `kg build")


def test_run_named_query(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, stderr = kg(
        "run",
        "papers-sharing-datasets",
        "--paper",
        "Diffusion Models",
        "--limit=2",
        "-f",
        "json",
        "-g",
        str(corpus_dir),
    )
    assert code == 0, stderr
    assert json.loads(stdout) == [
        {"paper": P5, "title": TITLES[P5], "shared_count": 3, "datasets": ["ADE20K", "COCO", "ImageNet"]},
        {"paper": P4, "title": TITLES[P4], "shared_count": 2, "datasets": ["COCO", "ImageNet"]},
    ]
    code, stdout, _ = kg(
        "run", "top-concepts", "-p", "kind=dataset", "-p", "limit=2", "-f", "csv", "-g", str(corpus_dir)
    )
    assert (code, stdout) == (
        0,
        f"concept,name,kind,papers\n{COCO},COCO,Dataset,4\n{IMAGENET},ImageNet,Dataset,4\n",
    )


def test_run_ambiguous_name_lists_candidates(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, stderr = kg("run", "papers-using-concept", "--concept", "SAM", "-g", str(corpus_dir))
    assert code == 1 and stdout == ""
    assert stderr == (
        "error: 'SAM' matches 2 concepts; give an id or a longer name: "
        f"{SAM_METHOD} (SAM, Method); {SAM_MODEL} (SAM, Model)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["top-concepts", "--limit", "many"],
            "error: top-concepts: --limit must be a whole number, got 'many'\n",
        ),
        (
            ["top-concepts", "--sort", "x"],
            "error: top-concepts has no parameter sort (parameters: kind, limit)\n",
        ),
        (
            ["citations"],
            "error: citations needs --paper (paper): the paper: id, exact title or unique title prefix\n",
        ),
        (["citations", "--paper"], "error: --paper needs a value\n"),
        (
            ["citations", "stray"],
            "error: unexpected argument 'stray'; parameters are given as --name value\n",
        ),
        ([], "error: name a query to run (kg run --list shows them)\n"),
    ],
)
def test_run_parameter_errors(corpus_dir: Path, args: list[str], message: str) -> None:  # noqa: F811
    code, _, stderr = kg("run", *args, "-g", str(corpus_dir))
    assert (code, stderr) == (1, message)


def test_run_unknown_query_lists_names(corpus_dir: Path) -> None:  # noqa: F811
    code, _, stderr = kg("run", "top", "-g", str(corpus_dir))
    assert code == 1
    assert stderr.startswith("error: no named query 'top'; available: citations, concept-cooccurrence, ")


def test_run_list(corpus_dir: Path) -> None:  # noqa: F811
    code, stdout, _ = kg("run", "--list", "-f", "json")
    assert code == 0
    listed = json.loads(stdout)
    assert [item["name"] for item in listed][:3] == ["citations", "concept-cooccurrence", "paper-concepts"]
    assert [item["name"] for item in listed][-2:] == ["resolve-concept", "resolve-paper"]
    top = next(item for item in listed if item["name"] == "top-concepts")
    assert top["params"] == ['kind (string, default "")', "limit (int, default 20)"]
    assert top["answers"].startswith("Which concepts do the most papers propose or use?")
    code, stdout, _ = kg("run", "--list")
    assert code == 0 and "papers-sharing-datasets" in stdout and "similar-papers" in stdout


def test_python_api(corpus_dir: Path) -> None:  # noqa: F811
    import kg as api

    assert api.run_query("MATCH (p:Paper) RETURN count(p) AS n", graph_dir=corpus_dir).rows == [[6]]
    assert api.run_named("citations", graph_dir=corpus_dir, paper="Sharpness-Aware").rows == [
        ["cited-by", P2, TITLES[P2], 2024, "metadata"],
        ["cited-by", P3, TITLES[P3], 2023, "metadata"],
    ]


@pytest.mark.slow
def test_cli_in_its_own_process(tmp_path: Path) -> None:
    # its own copy of the graph: this test process may hold the shared corpus' engine database open
    save_graph(build_corpus_graph(), tmp_path / "g")
    env = {**os.environ, "KG_GRAPH": str(tmp_path / "g")}
    kg_script = Path(sys.executable).with_name("kg")
    done = subprocess.run(
        [str(kg_script), "run", "citations", "--paper", P5, "-f", "csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"direction,paper,title,year,source\ncites,{P1},{TITLES[P1]},2024,inferred:concept:model:insertnerf\n"
    )
    assert done.stderr.startswith("1 row (")  # nothing from the JVM on the terminal
    refused = subprocess.run(
        [str(kg_script), "query", "CREATE (n:Paper {id: 'x'})"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: refused: CREATE at line 1, column 1")
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "log").exists()


def test_injection_attempt_through_the_cli_changes_nothing(corpus_dir: Path) -> None:  # noqa: F811
    count = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
    before = kg("query", count, "-f", "csv", "-g", str(corpus_dir))
    assert before == (0, "nodes,rels\n15,24\n", before[2])
    hostile = "'}) DETACH DELETE n //"
    code, _, stderr = kg("run", "citations", "--paper", hostile, "-g", str(corpus_dir))
    assert code == 1 and stderr.startswith(f"error: no paper matches {hostile!r}")
    code, stdout, _ = kg(
        "query",
        "MATCH (p:Paper {title: $t}) RETURN p.id AS id",
        "-p",
        f"t={hostile}",
        "-f",
        "csv",
        "-g",
        str(corpus_dir),
    )
    assert (code, stdout) == (0, "id\n")
    assert kg("query", count, "-f", "csv", "-g", str(corpus_dir))[:2] == (0, "nodes,rels\n15,24\n")


def test_table_to_a_pipe_is_not_wrapped_at_80_columns(tmp_path: Path) -> None:
    save_graph(build_corpus_graph(), tmp_path / "g")  # its own copy (see test_cli_in_its_own_process)
    long_value = "x" * 150
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("kg")), "query", "RETURN $v AS value", "-p", f"v={long_value}",
         "-g", str(tmp_path / "g")],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert [line.strip("│ ") for line in proc.stdout.splitlines() if "xxx" in line] == [long_value]


def test_data_width_follows_columns_or_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.cli.app import PIPE_WIDTH, _data_width

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert _data_width() == PIPE_WIDTH
    monkeypatch.setenv("COLUMNS", "100")
    assert _data_width() is None
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert _data_width() is None
