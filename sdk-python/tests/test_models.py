"""Response models: typed attributes, unknown fields, to_dict, repr; model objects as requests."""

from __future__ import annotations

import copy
import pickle

import pytest

import olumi
from conftest import BRIEF
from olumi import _models, _native
from olumi.testing import MockServer

OUTPUT = {
    "graph": {
        "version": "1",
        "default_seed": 17,
        "nodes": [{"id": "g", "kind": "goal", "label": "Grow", "future_field": [1]}],
        "edges": [{"from": "g", "to": "h", "strength_mean": 0.5}],
        "meta": {"roots": ["g"], "leaves": ["h"], "suggested_positions": {"g": {"x": 1, "y": 2}}},
    },
    "rationales": [{"target": "g", "why": "because"}],
    "new_top_level": {"a": 1},
}


def test_typed_attributes_and_nested_models() -> None:
    out = olumi.DraftGraphOutput(OUTPUT)
    assert isinstance(out.graph, olumi.Graph)
    assert isinstance(out.graph.nodes[0], olumi.Node)
    assert out.graph.nodes[0].kind == "goal"
    assert out.graph.edges[0].from_ == "g"
    assert out.graph.edges[0].to == "h"
    assert out.graph.edges[0].belief is None  # declared, absent
    assert out.graph.meta is not None
    assert out.graph.meta.suggested_positions["g"].y == 2
    assert isinstance(out.rationales[0], olumi.Rationale)
    assert out.patch is None


def test_unknown_fields_stay_reachable() -> None:
    out = olumi.DraftGraphOutput(OUTPUT)
    assert out.new_top_level == {"a": 1}
    assert out.graph.nodes[0].future_field == [1]
    assert "new_top_level" in dir(out)
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = out.nope


def test_to_dict_is_a_copy_and_models_are_read_only() -> None:
    out = olumi.DraftGraphOutput(OUTPUT)
    data = out.to_dict()
    assert data == OUTPUT
    data["graph"]["nodes"].clear()
    assert out.graph.nodes
    with pytest.raises(AttributeError, match="read-only"):
        out.graph = None


def test_equality_copy_pickle_and_repr() -> None:
    out = olumi.DraftGraphOutput(OUTPUT)
    assert out == olumi.DraftGraphOutput(copy.deepcopy(OUTPUT))
    assert out != olumi.Graph(OUTPUT["graph"])  # type: ignore[arg-type]
    assert copy.deepcopy(out) == out
    assert pickle.loads(pickle.dumps(out)) == out
    text = repr(out)
    assert text.startswith("DraftGraphOutput(graph={")
    assert "[...1 items]" in text
    assert len(text) < 400
    with pytest.raises(TypeError):
        hash(out)


def test_model_objects_are_accepted_as_requests(client: olumi.Client, server: MockServer) -> None:
    draft = client.draft_graph({"brief": BRIEF})
    critique = client.critique_graph({"graph": draft.graph, "brief": BRIEF})
    assert critique.issues
    again = client.draft_graph(olumi.DraftGraphOutput({"brief": BRIEF}))  # any object with to_dict()
    assert again.graph.nodes
    drafts = [e["body_sha256"] for e in server.journal() if e["target"] == "/assist/draft-graph"]
    assert len(drafts) == 2
    assert drafts[1] == drafts[0], "the model object was sent as the same JSON as the dict"


def test_tuples_and_nested_lists_are_sent_as_arrays(client: olumi.Client) -> None:
    out = client.draft_graph({"brief": BRIEF, "preserve_nodes": ("a", "b"), "flags": {"x": True}})
    assert out.graph.nodes


def test_every_class_the_native_module_returns_is_a_model() -> None:
    names = _native._model_classes()
    assert len(names) >= 30, names
    for name in names:
        cls = getattr(_models, name, None)
        assert isinstance(cls, type), f"olumi._models has no class {name}"
        assert issubclass(cls, _models.Model), name
        assert name in _models.__all__, name


def test_every_response_model_is_exported() -> None:
    for name in _models.__all__:
        assert hasattr(_models, name)
    for name in ["Health", "Status", "Limits", "DraftGraphOutput", "CeeDraftGraphResponse"]:
        assert issubclass(getattr(olumi, name), _models.Model)
