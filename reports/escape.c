#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

enum target { T_MD, T_MD_CODE, T_HTML, T_XML, T_CSV };

/* Characters that would be invisible, move the cursor, reorder text or
 * be illegal in XML: shown by code instead. */
static int hidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
           cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static void show_code(struct strbuf *out, uint32_t cp)
{
    switch (cp) {
    case '\n': sb_puts(out, "\\n"); return;
    case '\r': sb_puts(out, "\\r"); return;
    case '\t': sb_puts(out, "\\t"); return;
    }
    if (cp < 0x80)
        sb_printf(out, "\\x%02X", (unsigned)cp);
    else
        sb_printf(out, "\\u{%04X}", (unsigned)cp);
}

static void put_md(struct strbuf *out, uint32_t c)
{
    switch (c) {
    case '|': sb_puts(out, "&#124;"); return;
    case '`': sb_puts(out, "&#96;"); return;
    case '<': sb_puts(out, "&lt;"); return;
    case '>': sb_puts(out, "&gt;"); return;
    case '&': sb_puts(out, "&amp;"); return;
    case '\\': case '*': case '_': case '[': case ']':
    case '#': case '~': case '$': case '{': case '}':
        sb_printf(out, "\\%c", (char)c);
        return;
    }
    char ch = (char)c;
    sb_add(out, &ch, 1);
}

static void put_ml(struct strbuf *out, uint32_t c, int xml)
{
    switch (c) {
    case '&': sb_puts(out, "&amp;"); return;
    case '<': sb_puts(out, "&lt;"); return;
    case '>': sb_puts(out, "&gt;"); return;
    case '"': sb_puts(out, "&quot;"); return;
    case '\'': sb_puts(out, xml ? "&apos;" : "&#39;"); return;
    }
    char ch = (char)c;
    sb_add(out, &ch, 1);
}

/* A Markdown code block is literal text to every conforming renderer, but a
 * ticket system that passes raw HTML through without knowing fences would
 * see tags.  So a '<' that could start one is shown as \x3C, except a bare
 * placeholder like <kver> or <uuid>, which is inert markup and common in
 * remediation commands. */
static int md_code_tag_start(const unsigned char *s)
{
    static const char *const active[] = {
        "script", "style", "svg", "math", "plaintext", "xmp", "textarea", "title", "noscript",
        "noembed", "noframes", "iframe", "template", "object", "embed", "frameset", "select",
    };
    size_t n = 0;

    if (s[1] == '/' || s[1] == '!' || s[1] == '?')
        return 1;
    if (!((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z')))
        return 0;
    while (s[1 + n] == '_' || s[1 + n] == '-' || (s[1 + n] >= 'a' && s[1 + n] <= 'z') ||
           (s[1 + n] >= '0' && s[1 + n] <= '9'))
        n++;
    if (s[1 + n] != '>')
        return 1;
    for (size_t i = 0; i < sizeof active / sizeof active[0]; i++)
        if (strlen(active[i]) == n && !strncmp((const char *)s + 1, active[i], n))
            return 1;
    return 0;
}

static void escape(struct strbuf *out, const char *str, size_t max, int flags, enum target t)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t len = strlen((const char *)s), i = 0, count = 0;

    while (i < len) {
        uint32_t cp;
        size_t n;

        if (max && count >= max) {
            sb_puts(out, "\xE2\x80\xA6");
            break;
        }
        count++;
        n = utf8_decode_one((const char *)s + i, len - i, &cp);
        if (!n) {
            sb_printf(out, "\\x%02X", s[i]);
            i++;
            continue;
        }
        if (hidden(cp)) {
            if ((flags & ESC_MULTILINE) && (cp == '\n' || cp == '\t'))
                sb_add(out, (const char *)s + i, 1);
            else if (cp == '\t')
                sb_puts(out, " ");
            else
                show_code(out, cp);
        } else if (t == T_MD_CODE && cp == '<' && md_code_tag_start(s + i)) {
            sb_puts(out, "\\x3C");
        } else if (t == T_CSV && cp == '"') {
            sb_puts(out, "\"\"");
        } else if (cp >= 0x80 || t == T_MD_CODE || t == T_CSV) {
            sb_add(out, (const char *)s + i, n);
        } else if (t == T_MD) {
            put_md(out, cp);
        } else {
            put_ml(out, cp, t == T_XML);
        }
        i += n;
    }
}

void md_escape(struct strbuf *out, const char *s, size_t max)
{
    escape(out, s, max, 0, T_MD);
}

void md_escape_block(struct strbuf *out, const char *s, size_t max)
{
    size_t digits = 0;

    s = s ? s : "";
    while (*s == ' ' || *s == '\t') {
        sb_puts(out, "&#32;");
        s++;
    }
    if (*s == '-' || *s == '+' || *s == '=') {
        sb_printf(out, "\\%c", *s++);
    } else {
        while (s[digits] >= '0' && s[digits] <= '9')
            digits++;
        if (digits && (s[digits] == '.' || s[digits] == ')')) {
            sb_add(out, s, digits);
            sb_printf(out, "\\%c", s[digits]);
            s += digits + 1;
        }
    }
    md_escape(out, s, max);
}

size_t md_fence_len(const char *s)
{
    size_t best = 0, run = 0;

    for (; s && *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best >= 3 ? best + 1 : 3;
}

void md_code_block(struct strbuf *out, const char *s, size_t max)
{
    size_t fence = md_fence_len(s);

    for (size_t i = 0; i < fence; i++)
        sb_puts(out, "`");
    sb_puts(out, "\n");
    size_t start = out->len;
    escape(out, s, max, ESC_MULTILINE, T_MD_CODE);
    if (out->len > start && out->s[out->len - 1] != '\n')
        sb_puts(out, "\n");
    for (size_t i = 0; i < fence; i++)
        sb_puts(out, "`");
    sb_puts(out, "\n");
}

void html_escape(struct strbuf *out, const char *s, size_t max, int flags)
{
    escape(out, s, max, flags, T_HTML);
}

void xml_escape(struct strbuf *out, const char *s, size_t max, int flags)
{
    escape(out, s, max, flags, T_XML);
}

void csv_field(struct strbuf *out, const char *s, size_t max)
{
    s = s ? s : "";
    sb_puts(out, "\"");
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r')
        sb_puts(out, "'");
    escape(out, s, max, 0, T_CSV);
    sb_puts(out, "\"");
}
