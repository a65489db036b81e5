package io.nightcorej.analysis;

import java.util.ArrayList;
import java.util.List;

/** A report as headings, paragraphs, tables and images, rendered once as Markdown and once as HTML. */
final class ReportDoc {
    private sealed interface Block permits Heading, Para, Table, Image {
    }

    private record Heading(int level, String text) implements Block {
    }

    private record Para(String text) implements Block {
    }

    private record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    private record Image(String file, String alt) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    ReportDoc(String title) {
        this.title = title;
    }

    ReportDoc heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    ReportDoc para(String text) {
        blocks.add(new Para(text));
        return this;
    }

    ReportDoc table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(header, rows));
        return this;
    }

    ReportDoc image(String file, String alt) {
        blocks.add(new Image(file, alt));
        return this;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("#".repeat(h.level)).append(' ').append(h.text).append("\n\n");
            } else if (b instanceof Para p) {
                sb.append(p.text).append("\n\n");
            } else if (b instanceof Table t) {
                sb.append("| ").append(String.join(" | ", t.header)).append(" |\n|");
                sb.append("---|".repeat(t.header.size())).append('\n');
                for (List<String> row : t.rows) {
                    sb.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList()))
                        .append(" |\n");
                }
                sb.append('\n');
            } else if (b instanceof Image i) {
                sb.append("![").append(i.alt).append("](").append(i.file).append(")\n\n");
            }
        }
        return sb.toString();
    }

    String html() {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
                + "line-height:1.4}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;"
                + "padding:3px 8px;text-align:right}th{background:#eee}td:first-child{text-align:left}"
                + "img{max-width:100%}code{background:#f4f4f4}</style></head><body>\n<h1>")
            .append(esc(title)).append("</h1>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                int l = Math.min(6, h.level);
                sb.append("<h").append(l).append('>').append(esc(h.text)).append("</h").append(l).append(">\n");
            } else if (b instanceof Para p) {
                sb.append("<p>").append(inline(p.text)).append("</p>\n");
            } else if (b instanceof Table t) {
                sb.append("<table><tr>");
                t.header.forEach(c -> sb.append("<th>").append(inline(c)).append("</th>"));
                sb.append("</tr>\n");
                for (List<String> row : t.rows) {
                    sb.append("<tr>");
                    row.forEach(c -> sb.append("<td>").append(inline(c)).append("</td>"));
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof Image i) {
                sb.append("<p><img src=\"").append(esc(i.file)).append("\" alt=\"").append(esc(i.alt))
                    .append("\"></p>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    /** Escapes, then renders the two Markdown inlines the report uses: `code` and **bold**. */
    private static String inline(String s) {
        return esc(s).replaceAll("`([^`]*)`", "<code>$1</code>").replaceAll("\\*\\*([^*]*)\\*\\*", "<b>$1</b>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
