/* The frame every liftcheck HTML page shares (html_page.c): doctype, a
 * Content-Security-Policy that forbids every script and external
 * resource, the stylesheet, a title, the verdict banner and a footer. */
#ifndef LIFTCHECK_HTML_PAGE_H
#define LIFTCHECK_HTML_PAGE_H

#include "util/strbuf.h"

/* Opens the page up to <body>: the title is "liftcheck: <title>", followed
 * by " - <guest>" (escaped) when guest is not empty.  title is ours, never
 * guest text. */
void html_page_open(struct strbuf *o, const char *title, const char *guest);

/* Opens the verdict banner up to its line of text: cls is one of the
 * stylesheet's v-* classes, heading ours.  html_page_main closes the
 * banner and opens <main>. */
void html_page_banner(struct strbuf *o, const char *cls, const char *heading);
void html_page_main(struct strbuf *o);

/* Closes <main> and the page after a footer line of ours. */
void html_page_close(struct strbuf *o, const char *footer);

#endif
