"""A third-party extension: a ``stamp`` node rendered for HTML and Typst, and a ``mystery``
node with no Typst rendering (the PDF writer must fall back to its text with one warning)."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class stamp(nodes.General, nodes.Element):
    pass


class mystery(nodes.General, nodes.Element):
    pass


class StampDirective(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        return [stamp(text=self.arguments[0])]


class MysteryDirective(SphinxDirective):
    has_content = True

    def run(self):
        node = mystery()
        node += nodes.paragraph("", " ".join(self.content))
        self.set_source_info(node)
        return [node]


def visit_stamp_html(self, node):
    self.body.append(f'<p class="stamp">{self.encode(node["text"])}</p>')
    raise nodes.SkipNode


def visit_stamp_typst(self, node):
    # A Typst function call: the text as a string literal, escaped by hand.
    text = node["text"].replace("\\", "\\\\").replace('"', '\\"')
    self.body.append(f'#text(fill: red)["STAMPED: {text}"]\n\n')
    raise nodes.SkipNode


def visit_mystery_html(self, node):
    pass


def depart_mystery_html(self, node):
    pass


def setup(app):
    app.add_node(stamp, html=(visit_stamp_html, None), typst=(visit_stamp_typst, None))
    app.add_node(mystery, html=(visit_mystery_html, depart_mystery_html))
    app.add_directive("stamp", StampDirective)
    app.add_directive("mystery", MysteryDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
