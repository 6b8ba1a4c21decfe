"""From a raw article (blocks of one or more pages) to the record's content fields: body, images
with captions and credits, authors from the byline, the original title. The clean pipeline and
``newscrawler extract`` both call :func:`assemble`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newscrawler.extraction.blocks import Block, is_caption
from newscrawler.extraction.boilerplate import CleanResult, clean_paragraphs
from newscrawler.extraction.bylines import photographers, split_caption_credit


def merge_authors(*groups: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Authors of several sources, first occurrence of each name kept."""
    seen: set[str] = set()
    merged: list[dict[str, str]] = []
    for group in groups:
        for author in group:
            if author.get("name") and author["name"] not in seen:
                seen.add(author["name"])
                merged.append(dict(author))
    return merged


def texts_and_images(blocks: Iterable[Block]) -> tuple[list[str], list[dict[str, Any]]]:
    """One page's blocks as paragraph texts and images (``{url, caption, credit}``); the caption of
    an image is the block right after it that reads like one, split into caption and photo credit."""
    texts: list[str] = []
    images: list[dict[str, Any]] = []
    last_image: dict[str, Any] | None = None
    for block in blocks:
        if block.is_image:
            last_image = {"url": block.src, "caption": block.alt or None, "credit": None}
            images.append(last_image)
            continue
        if last_image is not None and is_caption(block):
            caption, credit = split_caption_credit(block.text)
            last_image["caption"] = caption or None
            last_image["credit"] = credit
            last_image = None
            continue
        last_image = None
        texts.append(block.text)
    return texts, images


def assemble(
    pages: Sequence[Sequence[Block]],
    *,
    title: str | None,
    authors: Iterable[dict[str, str]] = (),
    extra_patterns: Sequence[str] = (),
    first_cleaned: CleanResult | None = None,
) -> dict[str, Any]:
    """Clean each page's blocks and join the pages: ``{body, images, authors, original_title}``.
    ``first_cleaned``: page 1's blocks already cleaned with the same title and patterns
    (:attr:`~newscrawler.extraction.page.PageExtract.cleaned`), not cleaned again."""
    paragraphs: list[str] = []
    images: list[dict[str, Any]] = []
    byline_authors: list[dict[str, str]] = []
    original_title: str | None = None
    for number, blocks in enumerate(pages):
        texts, page_images = texts_and_images(blocks)
        images.extend(page_images)
        if number == 0 and first_cleaned is not None:
            cleaned = first_cleaned
        else:
            cleaned = clean_paragraphs(texts, title=title, extra_patterns=extra_patterns)
        paragraphs.extend(cleaned.paragraphs)
        byline_authors.extend(cleaned.authors)
        original_title = original_title or cleaned.original_title
    return {
        "body": "\n".join(paragraphs),
        "images": images,
        # photographers credited under the pictures come last
        "authors": merge_authors(authors, byline_authors, photographers(i["credit"] or "" for i in images)),
        "original_title": original_title,
    }
