"""Staging room for the document and workbook writers of issue 9 (docx, html, xlsx, the report model).

They move into ``formats/`` once the refactor of issue 8 lands; until then
they take plain inputs (awards, columns, language, grouping) and import
nothing from the command layer.
"""
