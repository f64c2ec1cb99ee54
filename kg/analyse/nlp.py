"""NLP: one spaCy pipeline (``spacy.blank("zh")``, jieba segmenter) with plankg's components.

- ``plankg_terms``: the plan's own domain terms (titles of measures and projects, indicator
  names) as TERM / INDICATOR entities, from an EntityRuler;
- ``plankg_places``: place names, found by their suffixes (旗, 县, 区, 市, 镇, 苏木, 嘎查, 口岸,
  lakes, rivers, deserts, mountains) among the names the plan itself repeats, never from a
  hand list;
- ``plankg_quantities``: quantity and target expressions in running text ('森林覆盖率达到25%',
  '稳定在60%左右') with the number, unit, comparator and the term they qualify.

jieba's dictionary is global to the process: adding a plan's words to it would change how
every later plan in the same process is cut. Each plan gets its own copy of the default
dictionary with its words added (built first, patterns after), and the global one is never
touched, so a plan's results do not depend on what was processed before it.
"""

from __future__ import annotations

import io
import logging
import marshal
import math
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kg.model import Plan
from kg.units import KNOWN_UNITS

if TYPE_CHECKING:
    from spacy.lang.zh import ChineseTokenizer

PLACE_SUFFIXES = ("苏木", "嘎查", "口岸", "沙漠", "沙地", "旗", "县", "区", "市", "镇", "湖", "海", "河", "山")
# Common nouns of the genre that end like place names but name no place.
NOT_PLACES = {
    "地区",
    "园区",
    "社区",
    "城区",
    "灌区",
    "牧区",
    "农区",
    "景区",
    "片区",
    "市区",
    "城市",
    "都市",
    "超市",
    "上市",
    "开发区",
    "示范区",
    "保护区",
    "试验区",
    "功能区",
    "旗县区",
    "县区",
    "小镇",
    "城镇",
    "乡镇",
    "集镇",
    "村镇",
    "重点镇",
    "湖泊",
    "河湖",
    "沿海",
    "江河",
    "山河",
    "沙区",
    "滩区",
    "林区",
    "矿区",
    "新区",
    "老区",
    "边区",
    "辖区",
    "库区",
    "流域区",
    "产业园区",
    "工业园区",
    "物流园区",
    "城市区",
    "全市",
    "本市",
    "该市",
    "各市",
    "地市",
    "盟市",
    "全区",
    "各区",
    "自治区",
    "行政区",
    "经济区",
    "合作区",
    "先行区",
    "集聚区",
    "承载区",
    "样板区",
    "共享区",
    "核心区",
    "缓冲区",
    "实验区",
    "蓄滞洪区",
    "超采区",
    "沙漠区",
    "山区",
    "高山",
    "火山",
    "冰山",
    "全县",
    "各县",
    "强县",
    "区县",
    "县市",
    "市县",
    "省市",
    "城乡镇",
    "大市",
    "强市",
    "城市群",
    "都市圈",
    "中心镇",
    "中心城区",
    "矿山",
    "绿色矿山",
    # slogans of the genre that end like a lake or a mountain
    "山水林田湖",
    "山水林田湖草",
    "山水林田湖草沙",
    "绿水青山",
    "金山银山",
}
# Words jieba tags as places that are common nouns of the genre.
_COMMON_FIRST_WORDS = {"城镇", "城市", "中心", "乡村", "农村", "地区", "内地", "全国", "国家"}
TARGET_VERBS = (
    "提高到",
    "提升到",
    "增加到",
    "增长到",
    "达到",
    "稳定在",
    "保持在",
    "控制在",
    "降低到",
    "下降到",
    "减少到",
    "突破",
    "超过",
    "不低于",
    "不少于",
    "不超过",
    "低于",
    "高于",
)
# Longest first: '亿吨标准煤' before '亿吨', '万元/人' before '万元'.
UNITS = tuple(sorted(KNOWN_UNITS, key=lambda u: (-len(u), u)))
_QUANTITY = re.compile(
    r"(?P<verb>" + "|".join(TARGET_VERBS) + r")\s*(?P<cmp>>|≥|<|≤)?\s*(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")?(?P<q>左右|以上|以内|以下)?"
)
_TERM_BREAK = re.compile(r"[，,。；;：:、“”（）()！？\s]|和|及|与|等")


@dataclass(frozen=True)
class Quantity:
    term: str
    verb: str
    number: float
    unit: str | None
    comparator: str | None
    qualifier: str | None
    text: str  # the expression as written
    start: int
    end: int


def quantities(text: str) -> list[Quantity]:
    """Target expressions in running text: what reaches which number."""
    out = []
    for m in _QUANTITY.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        term = _TERM_BREAK.split(before)[-1] if before else ""
        term = re.sub(r"^(全市|全区|全县|全省|城乡|力争|确保|到\d{4}年|\d{4}年)", "", term)
        if len(term) < 2:
            continue
        cmp = m.group("cmp")
        verb = m.group("verb")
        if not cmp and verb in ("超过", "突破", "高于"):
            cmp = ">"
        elif not cmp and verb in ("不低于", "不少于"):
            cmp = "≥"
        elif not cmp and verb in ("低于",):
            cmp = "<"
        elif not cmp and verb == "不超过":
            cmp = "≤"
        out.append(
            Quantity(
                term=term,
                verb=verb,
                number=float(m.group("num")),
                unit=m.group("unit"),
                comparator=cmp,
                qualifier=m.group("q"),
                text=term + m.group(0),
                start=m.start() - len(term),
                end=m.end(),
            )
        )
    return out


def plan_places(texts: list[str], min_count: int = 2) -> set[str]:
    """Place names the plan itself uses: strings ending in a place suffix that start and end
    on word boundaries, recur, and follow varied characters (so '拉特中旗', always after
    '乌', is no name, nor '要素市' inside '要素市场')."""
    # The default dictionary's cut: the plan's own words are what this looks for.
    tokenizer = plan_segmenter([])
    counts: Counter[str] = Counter()
    left: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        bounds = {0, len(text)}
        for _, a, b in tokenizer.tokenize(text, HMM=False):
            bounds.update((a, b))
        for suffix in PLACE_SUFFIXES:
            for m in re.finditer(re.escape(suffix), text):
                end = m.end()
                if end not in bounds:
                    continue
                for length in range(len(suffix) + 1, len(suffix) + 7):
                    start = end - length
                    if start < 0:
                        break
                    cand = text[start:end]
                    if not re.fullmatch(r"[\u4e00-\u9fff]+", cand):
                        break
                    if start in bounds:
                        counts[cand] += 1
                        left[cand].add(text[start - 1] if start > 0 else "^")
    names = {
        c
        for c, n in counts.items()
        if n >= min_count and len(left[c]) >= 2 and c not in NOT_PLACES and not _generic(c) and _looks_like_name(c)
    }
    # Of a name and a longer one ending with it, keep the longer when it is as frequent.
    return {c for c in names if not any(c != o and o.endswith(c) and counts[o] >= counts[c] for o in names)}


def _looks_like_name(name: str) -> bool:
    """The name starts with a proper noun (jieba: ns/nr/nz, or a word it does not know) and
    has no verb or function word inside: '青山县', '白河区', not '旅游区' or '示范市'."""
    words = [(w.word, w.flag) for w in _posseg().cut(name)]
    first, flag = words[0]
    if first in _COMMON_FIRST_WORDS:
        return False
    if flag not in ("ns", "nr", "nz", "nrt", "nrfg", "x", "eng") and not (len(words) == 1 and flag == "ns"):
        return False
    return not any(f in ("v", "vn", "c", "uj", "f", "p") for _, f in words[1:])


def _generic(name: str) -> bool:
    """A verb- or function-word-led phrase ('推进城镇', '各旗'), a one-character stem before a
    one-character administrative suffix ('建市'), or a compound ending in a generic noun."""
    if re.match(
        r"^(推进|推动|加强|建设|实施|完善|提升|加快|全面|积极|新建|打造|促进|构建|支持|发展|开展|健全|改善|"
        r"强化|融入|保障|规划|形成|成为|走在|达到|利用|提高|深入|展现|国家|单位|以|在|向|对|和|与|及|的|"
        r"各|全|本|该|两|个|等|由|进|建|用|源|化|服务|务)",
        name,
    ):
        return True
    if len(name) <= 2 and name[-1] in "旗县区市镇":
        return True
    return any(name.endswith(g) and name != g for g in NOT_PLACES if len(g) >= 2 and len(name) - len(g) <= 2)


def plan_terms(plan: Plan) -> list[str]:
    """Domain terms from the plan's own titles and indicator names."""
    terms = {i.title for i in plan.indicators}
    terms |= {
        e.title for e in plan.projects + plan.measures + plan.positionings + plan.goals if 2 <= len(e.title) <= 16
    }
    return sorted(terms)


@lru_cache(maxsize=1)
def _jieba():
    """jieba with its default dictionary loaded (once a process; workers fork with it)."""
    if "pkg_resources" in sys.modules:
        import jieba
    else:
        # jieba reads its data files through pkg_resources where it imports (0.1 s, half
        # of importing jieba), else it opens them beside its modules: the same files.
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba's fallback
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]

    jieba.setLogLevel(logging.WARNING)
    # jieba caches its dictionary in the temp folder under one name for everyone: a second
    # user on the machine meets the first one's file and a traceback. Each user's own cache.
    jieba.dt.tmp_dir = str(cache_dir())
    _load_dictionary(jieba.dt)
    return jieba


def _load_dictionary(dt) -> None:
    """jieba's ``initialize`` from its own cache file, read whole and then unmarshalled:
    ``marshal.load`` on the open file reads it in small pieces, three times slower (0.8 s
    against 0.27 s). Without a cache (the first run), jieba builds and writes it."""
    with dt.lock:
        if dt.initialized:
            return
        if dt.dictionary is None and not dt.cache_file:  # jieba's default dictionary
            try:
                dt.FREQ, dt.total = marshal.loads((Path(dt.tmp_dir) / "jieba.cache").read_bytes())
                dt.initialized = True
                return
            except (OSError, ValueError, EOFError, TypeError):
                pass  # no cache yet, or a broken one: jieba rebuilds it
        dt.initialize()


@lru_cache(maxsize=1)
def _posseg():
    """``jieba.posseg`` with its word-tag table read from plankg's cache. Importing it makes
    a tagger that parses jieba's whole dictionary text again for the tags (0.4 s), of which
    a plan asks for a few hundred: here the tagger gets an empty text while imported, then
    a table that looks each word up in the cached text when asked."""
    jieba = _jieba()
    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    tags = WordTags.cached(jieba)
    dt = jieba.dt
    dt.get_dict_file = lambda: io.BytesIO()  # shadows the method while the module makes its tagger
    try:
        import jieba.posseg as pseg
    finally:
        del dt.get_dict_file
    pseg.dt.word_tag_tab = tags
    return pseg


class WordTags:
    """Word -> part-of-speech tag as ``jieba.posseg``'s tagger reads them from the default
    dictionary ('word freq tag' a line, the last line of a word winning), kept as one text
    of 'word tag' lines sorted by word, with where each first character's lines are: a
    lookup searches a few dozen lines, and loading it makes no object per word."""

    def __init__(self, text: str, spans: dict[str, tuple[int, int]]) -> None:
        self.text = text  # '\nword tag\nword tag\n…'
        self.spans = spans  # first character -> (start, end) of its lines in text
        self.added: dict[str, str] = {}  # jieba's user words with a tag (``update``)

    @classmethod
    def parse(cls, data: bytes) -> WordTags:
        tags = {}
        for raw in data.split(b"\n"):  # as POSTokenizer.load_word_tag reads the file
            line = raw.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
        parts, at = ["\n"], 0
        spans: dict[str, tuple[int, int]] = {}
        for word in sorted(tags):
            line = f"{word} {tags[word]}\n"
            first = spans.get(word[0])
            spans[word[0]] = (first[0] if first else at, at + 1 + len(line))
            parts.append(line)
            at += len(line)
        return cls("".join(parts), spans)

    @classmethod
    def cached(cls, jieba) -> WordTags:
        """The default dictionary's tags, cached (marshal) under the dictionary file's size and time."""
        dict_file = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
        st = dict_file.stat()
        cache = cache_dir() / f"jieba-tags-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}.marshal"
        try:
            text, spans = marshal.loads(cache.read_bytes())
            return cls(text, spans)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        tags = cls.parse(dict_file.read_bytes())
        fd, tmp = tempfile.mkstemp(prefix=f".{cache.name}.", dir=cache.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump((tags.text, tags.spans), f)
            os.replace(tmp, cache)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
        return tags

    def get(self, word: str, default: str | None = None) -> str | None:
        if word in self.added:
            return self.added[word]
        span = self.spans.get(word[:1])
        if span is None:
            return default
        key = f"\n{word} "
        at = self.text.find(key, span[0], span[1])
        if at < 0:
            return default
        start = at + len(key)
        return self.text[start : self.text.index("\n", start)]

    def update(self, words: dict[str, str]) -> None:
        self.added.update(words)


def cache_dir() -> Path:
    """plankg's cache folder of this user: $XDG_CACHE_HOME/plankg, else ~/.cache/plankg,
    else a folder of the temp directory named for the user."""
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home().is_dir() else "")
    folder = Path(base) / "plankg" if base else Path(tempfile.gettempdir()) / f"plankg-{os.getuid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    folder = Path(tempfile.gettempdir()) / f"plankg-{os.getuid()}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Lexicon:
    """What plankg knows of a plan's language, without spaCy: the segmenter with the plan's
    words, its place names, and how the default dictionary cuts its indicator names.

    The build needs only this; ``build_nlp`` wraps the same pieces in spaCy components
    for Doc-level use (notebooks, tests), so both see the same words and places."""

    segmenter: Any  # a jieba Tokenizer with the plan's words (jieba is untyped)
    places: "Places"
    terms: list[str]
    indicator_words: dict[str, list[str]]
    # What moves each indicator (``kg.analyse.vocabulary``), where the lexicon was made with
    # it: the scorer reads it here rather than computing it a second time.
    indicator_vocabulary: dict[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def term_parts(self) -> dict[str, list[str]]:
        """Each plan term the default dictionary cuts into several words -> those words."""
        jieba = _jieba()
        out = {}
        for term in self.terms:
            parts = [w for w in jieba.lcut(term, HMM=False) if w != term]
            if len(parts) > 1:
                out[term] = parts
        return out

    def cut(self, text: str) -> list[str]:
        return self.segmenter.lcut(text, HMM=False)

    def find_places(self, text: str) -> set[str]:
        return self.places.find(text)


def plan_lexicon(plan: Plan, vocabulary: set[str] | frozenset[str] = frozenset()) -> Lexicon:
    """``vocabulary``: further words to keep whole (what moves an indicator, what serves an
    SDG: '托育', '入河排污口' are more than one word to jieba)."""
    jieba = _jieba()
    texts = [e.title + "。" + e.text for e in plan.entities()]
    places = plan_places(texts)
    terms = plan_terms(plan)
    # Indicator names as the default dictionary cuts them (the plan's knows them whole).
    indicator_words = {i.title: jieba.lcut(i.title) for i in plan.indicators}
    # The plan's dictionary first: patterns must fall on the segmenter's word boundaries.
    words = sorted(
        w for w in places | set(terms) | {i.title for i in plan.indicators} | set(vocabulary) if 2 <= len(w) <= 12
    )
    return Lexicon(plan_segmenter(words), Places(places), terms, indicator_words)


def lexicon_of(nlp) -> Lexicon:
    """The lexicon a pipeline made by ``build_nlp`` was built from."""
    return nlp.plankg_lexicon


def build_nlp(plan: Plan, lexicon: Lexicon | None = None):
    """The plan's spaCy pipeline: jieba segmenter, terms, places, quantities."""
    import spacy
    from spacy.language import Language

    lexicon = lexicon or plan_lexicon(plan)
    _register_components(Language)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    cast("ChineseTokenizer", nlp.tokenizer).jieba_seg = lexicon.segmenter
    nlp.add_pipe(
        "plankg_terms", config={"indicators": sorted({i.title for i in plan.indicators}), "terms": lexicon.terms}
    )
    nlp.add_pipe("plankg_places", config={"names": sorted(lexicon.places.names)})
    nlp.add_pipe("plankg_quantities")
    nlp.meta["plankg"] = {"indicator_words": lexicon.indicator_words, "places": sorted(lexicon.places.names)}
    # Our own attribute, unknown to spaCy's Language; not in meta: meta stays JSON, so nlp.to_disk() still works.
    nlp.plankg_lexicon = lexicon  # type: ignore[attr-defined]
    return nlp


# A place named with and without its administrative suffix is one place: 青河 and 青河区.
ADMIN_SUFFIXES = ("区", "县", "旗", "市", "镇", "盟", "州")


class Places:
    """Finds the plan's place names in a text, longest first; a short name of a place the
    plan also names in full (青河 for 青河区) is found as that place."""

    def __init__(self, names) -> None:
        self.names = set(names)
        self.aliases = {n: n + s for n in self.names for s in ADMIN_SUFFIXES if n + s in self.names}
        ordered = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None

    def find(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        return {self.aliases.get(m.group(), m.group()) for m in self.pattern.finditer(text)}

    def names_of(self, name: str) -> list[str]:
        """A place's names: the one it is known by first, then its short forms."""
        return [name, *sorted(short for short, full in self.aliases.items() if full == name)]

    def __call__(self, doc):
        from spacy.util import filter_spans

        if self.pattern is None:
            return doc
        spans = []
        for m in self.pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="PLACE", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc


def plan_segmenter(words: list[str]):
    """A jieba tokenizer: the default dictionary (copied, cheap) plus the plan's words."""
    jieba = _jieba()
    jieba.dt.check_initialized()
    tokenizer = _memo_tokenizer_class()()
    # Shared while no word is added (it is never written then), copied when words are.
    tokenizer.FREQ = dict(jieba.dt.FREQ) if words else jieba.dt.FREQ
    tokenizer.total = jieba.dt.total
    tokenizer.initialized = True
    for word in words:
        tokenizer.add_word(word, freq=2000)
    return tokenizer


@lru_cache(maxsize=1)
def _memo_tokenizer_class():
    jieba = _jieba()
    re_eng = jieba.re_eng
    base: Any = jieba.Tokenizer  # untyped: a base class mypy takes as Any

    class MemoTokenizer(base):
        """Cuts each sentence block once. A plan's texts nest (a section holds its measures'
        sentences, an item is scored with its title twice), so half the blocks recur; the
        cut of a block depends only on the dictionary, so the words are the same."""

        def __init__(self) -> None:
            super().__init__()
            self._blocks: dict[str, list[str]] = {}

        # jieba.Tokenizer.cut calls its private block cutter under this mangled name.
        def _Tokenizer__cut_DAG_NO_HMM(self, sentence: str):
            words = self._blocks.get(sentence)
            if words is None:
                words = self._blocks[sentence] = self._cut_block(sentence)
            return iter(words)

        def _cut_block(self, sentence: str) -> list[str]:
            """jieba's cut without HMM, its word graph and best route found in one pass
            from the right (jieba builds the graph, then walks it): the same words."""
            freq = self.FREQ
            n = len(sentence)
            logtotal = math.log(self.total)
            route: list[tuple[float, int]] = [(0, 0)] * (n + 1)
            for k in range(n - 1, -1, -1):
                best = None
                i, frag = k, sentence[k]
                while i < n and frag in freq:
                    f = freq[frag]
                    if f:
                        cand = (math.log(f) - logtotal + route[i + 1][0], i)
                        if best is None or cand > best:
                            best = cand
                    i += 1
                    frag = sentence[k : i + 1]
                if best is None:
                    best = (math.log(freq.get(sentence[k]) or 1) - logtotal + route[k + 1][0], k)
                route[k] = best
            words, buf, x = [], "", 0
            while x < n:
                y = route[x][1] + 1
                word = sentence[x:y]
                if len(word) == 1 and re_eng.match(word):
                    buf += word
                else:
                    if buf:
                        words.append(buf)
                        buf = ""
                    words.append(word)
                x = y
            if buf:
                words.append(buf)
            return words

        def add_word(self, word, freq=None, tag=None):
            self._blocks.clear()  # a new word can change any cut
            return super().add_word(word, freq, tag)

    return MemoTokenizer


_registered = False


def _register_components(Language) -> None:
    global _registered
    if _registered:
        return
    from spacy.tokens import Doc

    Doc.set_extension("quantities", default=None, force=True)

    @Language.factory("plankg_terms", default_config={"indicators": [], "terms": []})
    def make_terms(nlp, name, indicators, terms):
        from spacy.pipeline import EntityRuler

        er = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=False)
        er.add_patterns(
            [{"label": "INDICATOR", "pattern": t} for t in indicators]
            + [{"label": "TERM", "pattern": t} for t in terms if t not in set(indicators)]
        )
        return er

    @Language.factory("plankg_places", default_config={"names": []})
    def make_places(nlp, name, names):
        return Places(names)

    @Language.factory("plankg_quantities")
    def make_quantities(nlp, name):
        def find(doc):
            doc._.quantities = quantities(doc.text)
            return doc

        return find

    _registered = True
