/* The frame every liftcheck HTML page shares (html.c): doctype, a
 * Content-Security-Policy that forbids every script and external
 * resource, the stylesheet, and a title. */
#ifndef LIFTCHECK_HTML_PAGE_H
#define LIFTCHECK_HTML_PAGE_H

#include "util/strbuf.h"

/* Opens the page up to <body>: the title is "liftcheck: <title>", followed
 * by " - <guest>" (escaped) when guest is not empty.  title is ours, never
 * guest text. */
void html_page_open(struct strbuf *o, const char *title, const char *guest);

#endif
