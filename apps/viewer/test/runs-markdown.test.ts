import { describe, expect, it } from "vitest";
import { renderMarkdown, splitRow } from "../src/runs/markdown.js";
import { reportUrls } from "../src/runs/report-urls.js";
import { resolveServed } from "../src/runs/served-path.js";

describe("renderMarkdown", () => {
  it("renders headings, paragraphs, lists, emphasis and code", () => {
    const html = renderMarkdown(
      "# Experiment: window\n\nThe **window** length, `runs/<name>/` and *more*.\nSecond line.\n\n- a\n- b `c`\n\n1. one\n2. two\n",
    );
    expect(html).toBe(
      [
        '<h1 id="experiment-window">Experiment: window</h1>',
        "<p>The <strong>window</strong> length, <code>runs/&lt;name&gt;/</code> and <em>more</em>.\nSecond line.</p>",
        "<ul>\n<li>a</li>\n<li>b <code>c</code></li>\n</ul>",
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>",
      ].join("\n"),
    );
  });

  it("renders a pipe table with alignment, escaped pipes and inline markup in cells", () => {
    const md = [
      "| window (samples) | params | note |",
      "| ---------------: | :----: | :--- |",
      "|             4000 | 25,267 | **best** a \\| b |",
      "| 6000 | 1 |",
      "",
      "after",
    ].join("\n");
    const html = renderMarkdown(md);
    expect(html).toContain(
      '<tr><th style="text-align:right">window (samples)</th><th style="text-align:center">params</th><th style="text-align:left">note</th></tr>',
    );
    expect(html).toContain(
      '<tr><td style="text-align:right">4000</td><td style="text-align:center">25,267</td><td style="text-align:left"><strong>best</strong> a | b</td></tr>',
    );
    // A short row is padded to the header's columns.
    expect(html).toContain(
      '<tr><td style="text-align:right">6000</td><td style="text-align:center">1</td><td style="text-align:left"></td></tr>',
    );
    expect(html.match(/<table>/g)).toHaveLength(1);
    expect(html.endsWith("<p>after</p>")).toBe(true);
  });

  it("renders the trainer's own markdown tables", async () => {
    const { markdownTable } = await import("@emgkit/trainer");
    const html = renderMarkdown(markdownTable(["Run", "CER"], [["a|b", "12.50"]]));
    expect(html).toContain("<th");
    expect(html).toContain(">a|b</td>");
    expect(html).toContain(">12.50</td>");
  });

  it("splits table rows at pipes outside code spans", () => {
    expect(splitRow("| `a|b` | c \\| d |")).toEqual(["`a|b`", "c | d"]);
  });

  it("renders images and links, resolving URLs through the given functions", () => {
    const md =
      "![val-cer-by-epoch](figures/val-cer-by-epoch.svg)\n\nRuns: [window-4000](runs/window-4000/report.md), [paper](https://arxiv.org/abs/2410.20081)";
    const urls = reportUrls(
      "exp/report.md",
      (p) => `/files/${p}`,
      new Set(["exp/runs/window-4000"]),
    );
    const html = renderMarkdown(md, urls);
    expect(html).toContain(
      '<img src="/files/exp/figures/val-cer-by-epoch.svg" alt="val-cer-by-epoch">',
    );
    expect(html).toContain(
      '<a href="/files/exp/runs/window-4000/report.md" data-run-path="exp/runs/window-4000">window-4000</a>',
    );
    expect(html).toContain(
      '<a href="https://arxiv.org/abs/2410.20081" target="_blank" rel="noopener noreferrer">paper</a>',
    );
  });

  it("escapes HTML in text, code, attributes and link labels", () => {
    const md = [
      "# <script>alert(1)</script>",
      "",
      'Text with <img src=x onerror="alert(1)"> & `<b>` and [a <i>link</i>](x.md "t\\"itle").',
      "",
      '![alt" onerror="alert(1)](fig.svg)',
      "",
      "| <b>h</b> |",
      "| --- |",
      "| <script>x</script> |",
      "",
      "```html",
      "<div>&amp;</div>",
      "```",
    ].join("\n");
    const html = renderMarkdown(md);
    expect(html).not.toMatch(/<(script|b|i|div)[ >]/);
    expect(html).not.toMatch(/<img src="x"/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(html).toContain(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; <code>&lt;b&gt;</code>",
    );
    expect(html).toContain('<img src="fig.svg" alt="alt&quot; onerror=&quot;alert(1)">');
    expect(html).toContain("<td>&lt;script&gt;x&lt;/script&gt;</td>");
    expect(html).toContain(
      '<pre><code class="language-html">&lt;div&gt;&amp;amp;&lt;/div&gt;</code></pre>',
    );
  });

  it("drops javascript: and data: URLs", () => {
    const html = renderMarkdown("[click](javascript:alert(1)) ![x](data:text/html,hi) [ok](run/)");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("data:");
    expect(html).toContain("click");
    expect(html).toContain('<a href="run/">ok</a>');
  });

  it("keeps underscores inside words and unmatched markers as text", () => {
    expect(renderMarkdown("snake_case_name and 2 * 3 and a_b_")).toBe(
      "<p>snake_case_name and 2 * 3 and a_b_</p>",
    );
    expect(renderMarkdown("__bold__ _em_")).toBe("<p><strong>bold</strong> <em>em</em></p>");
  });

  it("renders rules, block quotes and line breaks", () => {
    expect(renderMarkdown("a  \nb\n\n---\n\n> quoted **x**")).toBe(
      "<p>a<br>\nb</p>\n<hr>\n<blockquote>\n<p>quoted <strong>x</strong></p>\n</blockquote>",
    );
  });
});

describe("served paths", () => {
  it("resolves relative links inside the served folder", () => {
    expect(resolveServed("exp", "figures/a.svg")).toBe("exp/figures/a.svg");
    expect(resolveServed("exp/runs/a", "../b/./report.md#x")).toBe("exp/runs/b/report.md");
    expect(resolveServed("", "runs/a%20b/")).toBe("runs/a b");
    expect(resolveServed("exp", "/top.md")).toBe("top.md");
    expect(resolveServed("", "../outside")).toBeNull();
    expect(resolveServed("exp", "https://x.org/a")).toBeNull();
    expect(resolveServed("exp", "#section")).toBeNull();
  });
});
