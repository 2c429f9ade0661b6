"""A third-party extension that replaces the Typst translator with its own subclass."""

from docutils import nodes

from broadsheet.typst.translator import TypstTranslator


class ShoutingTranslator(TypstTranslator):
    """Sets emphasis in capitals, and marks where it did."""

    def visit_emphasis(self, node):
        self.body.append(f"#upper[{self.render_children(node)}] /* shouted */")
        raise nodes.SkipNode


def setup(app):
    app.set_translator("typst", ShoutingTranslator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
