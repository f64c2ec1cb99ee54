"""plankg loads jieba's dictionary and part-of-speech tags its own, quicker way
(``kg.analyse.nlp``): what it loads must be what jieba itself would."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.analyse import nlp


@pytest.fixture(scope="module")
def jieba():
    return nlp._jieba()


@pytest.fixture(scope="module")
def reference_tagger(jieba):
    """A tagger with the tags as jieba's POSTokenizer reads them from the dictionary file."""
    pseg = nlp._posseg()
    tagger = pseg.POSTokenizer.__new__(pseg.POSTokenizer)
    tagger.tokenizer = jieba.dt
    tagger.load_word_tag(jieba.dt.get_dict_file())
    return tagger


def test_the_dictionary_is_jiebas_own(jieba):
    own = jieba.Tokenizer()
    own.tmp_dir = jieba.dt.tmp_dir
    own.initialize()  # jieba's way: its cache file, read piece by piece
    assert jieba.dt.initialized and jieba.dt.total == own.total and jieba.dt.FREQ == own.FREQ


def test_jieba_reads_its_files_beside_its_modules(jieba):
    with jieba.dt.get_dict_file() as f:
        assert Path(f.name) == Path(jieba.__file__).parent / "dict.txt"


def test_every_word_has_the_tag_jieba_reads(jieba, reference_tagger):
    tags = nlp._posseg().dt.word_tag_tab
    assert isinstance(tags, nlp.WordTags)
    expected = reference_tagger.word_tag_tab
    assert {w: tags.get(w) for w in expected} == expected
    for missing in ("", "zz", "不在词典里的词", "\u9fff", "青山县x"):
        assert missing in expected or tags.get(missing, "x") == "x"


def test_the_cached_tags_read_back_the_same(jieba, tmp_path, monkeypatch, reference_tagger):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    written = nlp.WordTags.cached(jieba)  # no cache yet: parsed and written
    assert list((tmp_path / "plankg").glob("jieba-tags-*.marshal"))
    read = nlp.WordTags.cached(jieba)
    assert (read.text, read.spans) == (written.text, written.spans)
    sample = list(reference_tagger.word_tag_tab.items())[::1000]
    assert all(read.get(w) == tag for w, tag in sample)


def test_names_are_tagged_as_jieba_tags_them(bundled, reference_tagger):
    texts = [e.title + "。" + e.text for e in bundled.entities()]
    names = sorted(nlp.plan_places(texts)) + ["青山县", "白河区", "旅游区", "示范市", "PM2.5监测站"]
    pseg = nlp._posseg()
    for name in names:
        assert [(w.word, w.flag) for w in pseg.cut(name)] == [(w.word, w.flag) for w in reference_tagger.cut(name)]
