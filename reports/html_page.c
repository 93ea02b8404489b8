/* The HTML page frame (html_page.h): self-contained, readable on screen
 * and on paper. */
#include "html_page.h"

#include "escape.h"

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;"
    "max-width:72rem;padding:1rem 1.5rem;color:#1b1f24;background:#fff}"
    "h1{font-size:1.6rem;margin:.2rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;"
    "margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0 .4rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}"
    "th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;min-width:4.5em}th{background:#f6f8fa}td ul{padding-left:1rem}"
    "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}"
    "pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;white-space:pre-wrap;"
    "overflow-wrap:anywhere}"
    ".verdict{padding:.8rem 1rem;border-radius:6px;border:2px solid}"
    ".v-ready{background:#dafbe1;border-color:#1a7f37}.v-fixable{background:#fff8c5;"
    "border-color:#9a6700}.v-blocked{background:#ffebe9;border-color:#cf222e}"
    ".v-other{background:#f6f8fa;border-color:#57606a}"
    ".finding{border-left:4px solid #57606a;padding:.3rem .8rem;margin:.8rem 0;"
    "break-inside:avoid}.blocker{border-color:#cf222e}.warning{border-color:#9a6700}"
    ".info{border-color:#0969da}.muted{color:#57606a}ul{margin:.2rem 0}"
    "summary{cursor:pointer;font-weight:600}"
    "@media print{body{max-width:none;font-size:11pt;padding:0}"
    "h2{break-after:avoid}pre{white-space:pre-wrap}"
    ".verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

void html_page_open(struct strbuf *o, const char *title, const char *guest)
{
    sb_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
               "<meta name=\"referrer\" content=\"no-referrer\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    sb_printf(o, "<title>liftcheck: %s", title);
    if (guest && *guest) {
        sb_puts(o, " \xE2\x80\x94 ");
        html_escape(o, guest, 200, 0);
    }
    sb_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

void html_page_banner(struct strbuf *o, const char *cls, const char *heading)
{
    sb_printf(o, "<header class=\"verdict %s\"><h1>%s</h1>\n<p>", cls, heading);
}

void html_page_main(struct strbuf *o) { sb_puts(o, "</p></header>\n<main>\n"); }

void html_page_close(struct strbuf *o, const char *footer)
{
    sb_printf(o, "</main>\n<footer class=\"muted\"><p>%s</p></footer>\n</body>\n</html>\n",
              footer);
}
