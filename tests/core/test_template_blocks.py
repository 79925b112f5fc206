"""Every template puts its content in the right block: no markup in a title, nothing lost outside a block."""
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.base import TextNode
from django.template.loader_tags import BlockNode, ExtendsNode

ROOTS = [Path(settings.BASE_DIR) / "templates", *sorted((Path(settings.BASE_DIR) / "apps").glob("*/templates"))]
TEMPLATES = sorted({str(path.relative_to(root)) for root in ROOTS for path in root.rglob("*.html")})


def _text_nodes(nodelist):
    for node in nodelist:
        if isinstance(node, TextNode):
            yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _text_nodes(getattr(node, attr, None) or [])


def _blocks(nodelist, name):
    for node in nodelist:
        if isinstance(node, BlockNode) and node.name == name:
            yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _blocks(getattr(node, attr, None) or [], name)


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_title_block_holds_text_only(name):
    template = engines["django"].get_template(name).template
    for block in _blocks(template.nodelist, "title"):
        markup = [node.s for node in _text_nodes(block.nodelist) if "<" in node.s]
        assert not markup, f"{name}: markup inside {{% block title %}}: {markup}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_template_that_extends_another_has_nothing_outside_its_blocks(name):
    template = engines["django"].get_template(name).template
    extends = [node for node in template.nodelist if isinstance(node, ExtendsNode)]
    if not extends:
        return
    stray = [node.s.strip() for node in extends[0].nodelist if isinstance(node, TextNode) and node.s.strip()]
    assert not stray, f"{name}: content outside any block is dropped: {stray}"


def test_the_case_form_title_is_its_name_and_its_script_is_in_the_head(client_for, police):
    response = client_for(police).get("/cases/new/")
    html = response.content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script" not in title and "Ghi vụ việc mới" in title
    assert "cases/formset.js" in html.split("</head>", 1)[0]
