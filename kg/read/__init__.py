"""Layer 1, reading: a plan text -> the plan model (``kg.model.Plan``), one module per stage.

source (bytes -> text) -> cleaning (lines with pages; pages, frontmatter, contents) ->
layout (paragraphs, boxes, tables; blocks, tables) -> outline (篇/章/节) -> entities, boxes,
indicators, targets, metadata -> check (what was read) -> pipeline (the stages in order).
Imports only the shared model (``kg.model``, ``kg.errors``, ``kg.kinds``, ``kg.units``).
"""
