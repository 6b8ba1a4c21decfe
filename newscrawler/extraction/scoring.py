"""Content scoring for the generic extractor: a readability-style vote. Every paragraph-like
unit (a ``<p>``, or the text written directly in a ``<div>``/``<td>`` between ``<br>``s) scores
by its length and its Chinese punctuation, discounted by its link density, and gives its score to
its container (and half to the container's parent). The best container, plus siblings that score
nearly as well, is the content (:func:`main_nodes`)."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from lxml import etree

from .tree import BLOCK_TAGS, PUNCT_RE, hint_flags, is_descendant, tlen
from .tree import hints as element_hints

__all__ = ["Scorer", "main_nodes"]

#: Paragraph-like elements: their whole subtree's text is one unit
PARA_TAGS = frozenset({"p", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6", "dd", "center", "li"})
#: Inline elements: bare text inside them belongs to their block container
INLINE_TAGS = frozenset({"a", "span", "font", "strong", "b", "em", "i", "u", "small", "big", "sup", "sub"})

#: A unit shorter than this (characters) is a label or a link, not prose
MIN_UNIT_CHARS = 10
#: A unit earns one point per this many characters ...
UNIT_CHARS_PER_POINT = 80.0
#: ... up to this many (length must not outweigh punctuation, the sign of prose)
UNIT_MAX_LENGTH_POINTS = 4.0
#: Link density this many times over is taken off a unit's score (a link list scores nothing)
UNIT_LINK_PENALTY = 1.5
#: Share of a unit's score its container's parent gets (content is often wrapped twice)
PARENT_SHARE = 0.5
#: Factor of a container whose class/id reads like chrome (comment, related, footer …)
BAD_HINT_FACTOR = 0.6
#: Factor of a container whose class/id reads like content (article, content, zhengwen …)
GOOD_HINT_FACTOR = 1.15
#: Containers with a raw score below this are not candidates (one short sentence)
MIN_RAW_SCORE = 1.0
#: Factor of a candidate inside a comment/related/footer region
BAD_REGION_FACTOR = 0.5
#: A candidate after the title qualifies with at least this score ...
AFTER_TITLE_MIN_SCORE = 6.0
#: ... or this share of the best score (a real article's container, not a stray line) ...
AFTER_TITLE_SHARE = 0.12
#: ... and this many non-link characters
AFTER_TITLE_MIN_CHARS = 40
#: A sibling of the best container joins the content with at least this score ...
SIBLING_MIN_SCORE = 8.0
#: ... or this share of the best score
SIBLING_SHARE = 0.25
#: A plain <p>/<center> sibling joins with this many characters ...
PLAIN_PARA_MIN_CHARS = 40
#: ... less than this share of link text ...
PLAIN_PARA_MAX_LINK_SHARE = 0.25
#: ... and this much punctuation (a sentence, not a caption or a link)
PLAIN_PARA_MIN_PUNCT = 2
#: A lead box's label: a sibling before the content that opens with it is the article's lead
#: (核心提示：…, 导语：…), however few sentences it has
LEAD_LABEL_RE = re.compile(r"^\s*[【\[]?\s*(?:核心提示|导语|内容提要|内容摘要|摘要|编者按)\s*[】\]]?\s*[:：]")
#: A lead box is at most this long (characters): longer, it is an article of its own
LEAD_MAX_CHARS = 400
#: A section beside the content's wrapper (a child of its parent: the poem beside its notes,
#: the summary beside the sections) joins when its best paragraph container scores this much ...
SECTION_MIN_SCORE = 4.0
#: ... and this share of the best score (a poem's few lines are short, but not a stray label) ...
SECTION_SHARE = 0.25
#: ... and at most this share of link text: an article's section is prose, a list of teasers for
#: other articles beside it has a linked title per item (~20-30% of its text)
SECTION_MAX_LINK_SHARE = 0.1


class Scorer:
    """One bottom-up pass: container scores, text/link/punctuation totals (kept for scored
    elements and ``<p>``/``<center>``, the ones read afterwards), and the document position (in
    non-link characters) of each element and of each container's first scoring paragraph."""

    def __init__(self, title_el: Any = None) -> None:
        self.stats: dict[Any, tuple[int, int, int]] = {}
        self.score: dict[Any, float] = {}
        self.first_unit: dict[Any, int] = {}
        self.cursor = 0
        self.title_el = title_el
        self.title_start: int | None = None

    def run(self, body: Any) -> None:
        """One walk over ``body`` (``start``/``end`` events of lxml's iterwalk, no recursion):
        an element's own text and its children's tails are its direct text; at its end its
        totals are scored."""
        score, stats = self.score, self.stats
        title_el = self.title_el
        # Running counts of all the text so far; an element's subtree holds what is counted
        # between its start and its end. ``cursor`` is the non-link part: the document position.
        total = link = punct = cursor = 0
        # The innermost open element's direct text counts, and whether it is inside a link
        # (the parent's values wait on the stack while a child is open).
        direct_len = direct_punct = direct_link = 0
        in_link = False
        # Direct text not counted yet (a piece is counted as a whole, stripped: inner spaces are
        # rare in Chinese and only weigh a score)
        pending = ""
        # an open element: its position, the running counts at its start, its parent's direct
        # text counts and in_link
        stack: list[tuple[int, tuple[int, int, int], tuple[int, int, int, bool]]] = []
        for event, el in etree.iterwalk(body, events=("start", "end")):
            if pending:
                n = len(pending.strip())
                if n:
                    n_punct = len(PUNCT_RE.findall(pending))
                    total += n
                    punct += n_punct
                    direct_len += n
                    direct_punct += n_punct
                    if in_link:
                        link += n
                        direct_link += n
                    else:
                        cursor += n
                pending = ""
            tag = el.tag
            if event == "start":
                if el is title_el:
                    self.title_start = cursor
                stack.append((cursor, (total, link, punct), (direct_len, direct_punct, direct_link, in_link)))
                in_link = in_link or tag == "a"
                direct_len = direct_punct = direct_link = 0
                pending = el.text or ""
                continue
            pos, (total_at_start, link_at_start, punct_at_start), parent_direct = stack.pop()
            el_total = total - total_at_start
            el_link = link - link_at_start
            el_punct = punct - punct_at_start
            if el_total >= MIN_UNIT_CHARS:
                self._score(el, tag, pos, el_total, el_link, el_punct, direct_len, direct_punct, direct_link)
            elif tag == "p" or tag == "center" or el in score:
                stats[el] = (el_total, el_link, el_punct)  # (no unit here: see _score)
            if not stack:
                break  # the end of body itself (its tail is not its text)
            direct_len, direct_punct, direct_link, in_link = parent_direct
            pending = el.tail or ""
        self.cursor = cursor

    def _score(
        self,
        el: Any,
        tag: Any,
        pos: int,
        total: int,
        link: int,
        punct: int,
        direct_len: int,
        direct_punct: int,
        direct_link: int,
    ) -> None:
        """Score the unit ``el`` is (a paragraph-like element), or that its direct text is
        (``pos``: its document position; then its subtree's counts and its direct text's)."""
        if tag in PARA_TAGS:
            if total >= MIN_UNIT_CHARS:
                value = self._unit(total, punct, link)
                if value:
                    parent = el.getparent()
                    self._add(parent, value, pos)
                    if parent is not None:
                        self._add(parent.getparent(), value * PARENT_SHARE, pos)
        elif direct_len >= MIN_UNIT_CHARS:
            value = self._unit(direct_len, direct_punct, direct_link)
            if tag not in INLINE_TAGS:
                if value:
                    self._add(el, value, pos)
                    self._add(el.getparent(), value * PARENT_SHARE, pos)
            else:
                # inline wrapper holding bare text (<font>…<br>…</font>, <div><span>…</span></div>):
                # its block container owns it, and the container's parent gets its share as from
                # any paragraph (else a column of <div><span> paragraphs has no container) —
                # unless the container is a paragraph-like element, whose whole text already
                # counts for its parent as one unit
                parent = el.getparent()
                while parent is not None and parent.tag not in BLOCK_TAGS:
                    parent = parent.getparent()
                if value and parent is not None:
                    self._add(parent, value, pos)
                    if parent.tag not in PARA_TAGS:
                        self._add(parent.getparent(), value * PARENT_SHARE, pos)
        # totals are read for scored elements and <p>/<center> (see main_nodes); every score
        # an element gets comes from its own text or its subtree, so it has it by now
        if tag == "p" or tag == "center" or el in self.score:
            self.stats[el] = (total, link, punct)

    def _add(self, el: Any, value: float, pos: int) -> None:
        if el is not None:
            self.score[el] = self.score.get(el, 0.0) + value
            if pos < self.first_unit.get(el, 1 << 60):
                self.first_unit[el] = pos

    @staticmethod
    def _unit(tlen: int, punct: int, link: int) -> float:
        if tlen < MIN_UNIT_CHARS:
            return 0.0
        ld = link / tlen if tlen else 0.0
        return (1.0 + punct + min(tlen / UNIT_CHARS_PER_POINT, UNIT_MAX_LENGTH_POINTS)) * max(
            0.0, 1.0 - UNIT_LINK_PENALTY * ld
        )

    def final(self, el: Any) -> float:
        total, link, _ = self.stats.get(el, (0, 0, 0))
        ld = link / total if total else 1.0
        s = self.score.get(el, 0.0) * (1.0 - ld)
        hints = element_hints(el)
        if hints.strip():
            bad, good = hint_flags(hints)
            if bad and not good:
                s *= BAD_HINT_FACTOR
            elif good:
                s *= GOOD_HINT_FACTOR
        return s


def bad_region_checker(title_el: Any) -> Any:
    """A memoised test: is an ancestor of ``el`` a comment/related/recommend/footer region (one
    that does not also hold the title)?"""
    cache: dict[Any, bool] = {}

    def own_bad(el: Any) -> bool:
        hints = element_hints(el)
        if len(hints) < 2:
            return False
        bad, good = hint_flags(hints)
        if not bad or good:
            return False
        return title_el is None or not is_descendant(title_el, el)

    def in_bad(el: Any) -> bool:
        chain = []
        p = el.getparent()
        result = False
        while p is not None and p.tag not in ("body", "html"):
            if p in cache:
                result = cache[p]
                break
            chain.append(p)
            if own_bad(p):
                result = True
                break
            p = p.getparent()
        # every element of the chain below a bad (or cached) ancestor shares the answer
        for q in chain:
            cache[q] = result
        return result

    return in_bad


def main_nodes(body: Any, title_el: Any = None) -> tuple[list[Any], Scorer]:
    """The content's nodes: the best container, and siblings that score nearly as well."""
    scorer = Scorer(title_el)
    scorer.run(body)
    if not scorer.score:
        return [body], scorer
    finals: dict[Any, float] = {}
    in_bad_region = bad_region_checker(title_el)
    for el, raw in scorer.score.items():
        if raw < MIN_RAW_SCORE or el.tag in ("a", "body", "html"):
            continue
        s = scorer.final(el)
        if s > 0 and in_bad_region(el):
            s *= BAD_REGION_FACTOR
        finals[el] = s
    if not finals:
        return [body], scorer
    best = max(finals, key=finals.__getitem__)
    best_score = finals[best]
    if best_score <= 0:
        return [body], scorer
    if title_el is not None and scorer.title_start is not None:
        # The article is the first substantial text after its title: prefer it to a longer
        # story (a recommendation, the next article) further down the page.
        t_start = scorer.title_start
        qualify = max(AFTER_TITLE_MIN_SCORE, best_score * AFTER_TITLE_SHARE)
        after = [
            el
            for el, sc in finals.items()
            if sc >= qualify
            and scorer.stats[el][0] - scorer.stats[el][1] >= AFTER_TITLE_MIN_CHARS
            and (scorer.first_unit.get(el, -1) >= t_start or is_descendant(title_el, el))
            and not (el is title_el or is_descendant(el, title_el))
        ]
        if after:
            after.sort(key=lambda e: (scorer.first_unit.get(e, 0), -finals[e]))
            best = after[0]
            # a wrapper that also holds the title, a subtitle or the info line scores by its
            # paragraphs' container: prefer that container when it scores at least as well
            inner = [
                e for e in after if e is not best and finals[e] >= finals[best] and is_descendant(e, best)
            ]
            if inner:
                best = max(inner, key=finals.__getitem__)
            best_score = finals[best]
    parent = best.getparent()
    if parent is None:
        return [best], scorer
    threshold = max(SIBLING_MIN_SCORE, best_score * SIBLING_SHARE)
    nodes: list[Any] = []
    before_best = True
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is best:
            nodes.append(sib)
            before_best = False
            continue
        hints = element_hints(sib)
        if len(hints) > 1 and hint_flags(hints) == (True, False):
            continue  # comments, related news, share bars next to the article
        s = finals.get(sib, 0.0)
        total, link, punct = scorer.stats.get(sib, (0, 0, 0))
        plain_para = (
            sib.tag in ("p", "center")
            and total >= PLAIN_PARA_MIN_CHARS
            and link < total * PLAIN_PARA_MAX_LINK_SHARE
            and punct >= PLAIN_PARA_MIN_PUNCT
        )
        if s >= threshold or plain_para or (before_best and total <= LEAD_MAX_CHARS and _is_lead(sib)):
            nodes.append(sib)
    return _with_sections(nodes, parent, best_score, finals, scorer), scorer


def _is_lead(el: Any) -> bool:
    """Whether ``el``'s text opens with a lead label (核心提示：, 导语：, 编者按：…)."""
    return bool(LEAD_LABEL_RE.match("".join(islice(el.itertext(), 4))))


def _text_and_link(el: Any) -> tuple[int, int, int]:
    """(characters, link characters, 0) of ``el``'s subtree, for an element the walk kept no
    totals of."""
    total = tlen("".join(el.itertext()))
    link = sum(tlen("".join(a.itertext())) for a in el.iter("a"))
    return total, link, 0


def _with_sections(
    nodes: list[Any], wrapper: Any, best_score: float, finals: dict[Any, float], scorer: Scorer
) -> list[Any]:
    """The content, with the sections beside its wrapper: a page split into sibling sections
    (the text, its translation, its notes; a summary, then the chapters) has its best container
    in one of them. A child of the wrapper's parent whose best paragraph container scores well
    enough (and is not chrome, nor above the title, nor link-heavy) is content too; the wrapper
    then stands for its own content nodes."""
    outer = wrapper.getparent()
    if outer is None or outer.tag in ("body", "html"):
        return nodes
    threshold = max(SECTION_MIN_SCORE, best_score * SECTION_SHARE)
    # each child of ``outer`` holding a container that scores enough: its best one's score and
    # document position (found from the few such containers up, not by walking every child)
    tops: dict[Any, tuple[float, int]] = {}
    for el, sc in finals.items():
        if sc < threshold:
            continue
        child, p = el, el.getparent()
        while p is not None and p is not outer:
            child, p = p, p.getparent()
        if p is None or child is wrapper:
            continue
        if child not in tops or sc > tops[child][0]:
            tops[child] = (sc, scorer.first_unit.get(el, 0))
    if not tops:
        return nodes
    t_start = scorer.title_start
    out: list[Any] = []
    for sec in outer:
        if sec is wrapper:
            out.extend(nodes)
            continue
        if sec not in tops:
            continue
        if t_start is not None and tops[sec][1] < t_start:
            continue
        hints = element_hints(sec)
        if len(hints) > 1 and hint_flags(hints) == (True, False):
            continue
        total, link, _ = scorer.stats.get(sec) or _text_and_link(sec)
        if link > total * SECTION_MAX_LINK_SHARE:
            continue
        out.append(sec)
    return out if len(out) > len(nodes) else nodes
