"""ZQL from the one-shot CLI and batches against ``zcli sim``: one quoted word or words a shell split,
validation before sending (exit 2), --no-validate, tables, JSON as the server gave it, --query."""

from __future__ import annotations

import json
import re

import pytest

from tests.integration.clirun import Zcli, login_args


@pytest.fixture(scope="module")
def z(tmp_path_factory, sim):
    z = Zcli(tmp_path_factory.mktemp("zql"), ZCLI_URL=sim.url)
    ran = z.run(*login_args())
    assert ran.status == 0, ran.err
    return z


def test_one_quoted_word_prints_the_reply_as_json_less_schema(z):
    ran = z.run("-o", "json", "query vminstance.name,state where state='Running' order by name asc limit 2")
    assert ran.status == 0, ran.err
    body = json.loads(ran.out)
    assert set(body) == {"results"}
    [r] = body["results"]
    assert len(r["inventories"]) == 2 and all(set(i) == {"name", "state"} for i in r["inventories"])


def test_words_a_shell_split_are_one_line(z):
    ran = z.run("-o", "table", "count", "vminstance", "group", "by", "state")
    assert ran.status == 0, ran.err
    assert re.search(r"state\s+count", ran.out), ran.out
    assert re.search(r"Running\s+\d+", ran.out), ran.out


def test_table_of_a_query_sum_rows_and_several_named_statements(z):
    ran = z.run("-o", "table", "query vminstance.name,cpuNum where cpuNum >= 1 return with (total) limit 3 "
                "named as 'vms'; sum volume.size by type; count zone")
    assert ran.status == 0, ran.err
    assert "vms:" in ran.out and "sum volume.size by type:" in ran.out and "count zone:" in ran.out
    assert re.search(r"name\s+cpuNum", ran.out) and re.search(r"showing 3 of \d+", ran.out), ran.out
    assert re.search(r"type\s+size", ran.out), ran.out
    assert re.search(r"total: \d+", ran.out), ran.out


def test_query_projects_the_reply(z):
    ran = z.run("-o", "json", "--query", "results[0].total", "count zone")
    assert ran.status == 0, ran.err
    assert int(ran.out) >= 1


def test_zqlquery_api_keeps_working(z):
    ran = z.run("-o", "json", 'ZQLQuery', 'zql=count vminstance group by state')
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["results"][0]["inventoryCounts"]


def test_a_wrong_line_exits_2_and_sends_nothing(tmp_path):
    z = Zcli(tmp_path, ZCLI_URL="http://127.0.0.1:9")  # nothing listens there: a sent request would fail (3)
    ran = z.run("query vminstance where stat = 'x'")
    assert ran.status == 2, ran.err
    assert "column 24" in ran.err and "'stat'" in ran.err and "did you mean state" in ran.err
    assert len(ran.err.strip().splitlines()) == 1
    ran = z.run("query vminstance where name = web")
    assert ran.status == 2 and "must be quoted: 'web'" in ran.err, ran.err


def test_no_validate_lets_unknown_names_through_to_the_server(z):
    ran = z.run("--no-validate", "query nosuch")
    assert ran.status == 1, ran.err
    assert "cannot find inventory with name[nosuch]" in ran.err


def test_batch_lines_of_zql(z, tmp_path):
    path = tmp_path / "zql.zcli"
    path.write_text("count zone\nquery zone.name where name like 'zone%' order by name asc -o json\n")
    ran = z.run("-o", "table", "-f", str(path))
    assert ran.status == 0, ran.err
    assert re.search(r"total: \d+", ran.out), ran.out
    body = json.loads(ran.out[ran.out.index("{"):])
    assert [i["name"] for i in body["results"][0]["inventories"]] == sorted(
        i["name"] for i in body["results"][0]["inventories"])


def test_a_batch_with_a_wrong_zql_line_fails_with_status_2(z, tmp_path):
    path = tmp_path / "bad.zcli"
    path.write_text("count zone\nquery vminstanc\n")
    ran = z.run("-o", "json", "-f", str(path))
    assert ran.status == 2, ran.err
    assert "did you mean vminstance" in ran.err


def test_the_batch_check_reads_zql_lines_as_running_them_would():
    from zcli.catalog import load_catalog
    from zcli.commands.batch import check_line
    from zcli.errors import UsageError
    from zcli.zql import line_words

    def check(line):
        check_line(line_words(line), catalog=load_catalog(), can_ask=False, shell_builtins=(),
                   split_options=lambda words: (True, words), check_builtin=lambda words: None)

    check("query vminstance where name = 'a b' order by name asc")
    with pytest.raises(UsageError, match="did you mean vminstance"):
        check("query vminstanc")
