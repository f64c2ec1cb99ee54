"""The blocks the layout stage reads a plan's lines into, and the later stages consume."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.read.cleaning import Line
from kg.read.textutil import join_wrapped


@dataclass
class Block:
    kind: str  # heading | paragraph | box | table | caption
    lines: list[Line]

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def text(self) -> str:
        return join_wrapped([ln.text for ln in self.lines])


@dataclass
class Heading(Block):
    level: str = ""  # part | chapter | section for 第X篇/章/节; 'marked' for 一、 1. 1.1 …
    number: int = 0
    title: str = ""
    marker: str = ""  # as printed: '第一章', '一、', '1.1'
    style: str = ""  # named | cn | paren | digit | decimal


@dataclass
class BoxItem:
    number: int
    marker: str
    title_lines: list[Line]
    body_lines: list[Line]
    cells: dict[str, str] = field(default_factory=dict)  # a table row's cells by column

    @property
    def lines(self) -> list[Line]:
        return self.title_lines + self.body_lines


@dataclass
class Box(Block):
    label: str = ""
    title: str = ""
    intro: list[Line] = field(default_factory=list)
    items: list[BoxItem] = field(default_factory=list)
    form: str = "items"  # items | paragraphs | table | indicators (the box is an indicator table)
    columns: list[str] = field(default_factory=list)  # a box printed as a table


@dataclass
class Table(Block):
    title: str = ""
    title_lines: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)  # categories and rows (repeated headers included)
    notes: list[Line] = field(default_factory=list)
    box_label: str = ""
