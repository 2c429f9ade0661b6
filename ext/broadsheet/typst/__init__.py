"""Broadsheet's Typst writer: article and edition PDFs compiled in-process with ``typst``."""
