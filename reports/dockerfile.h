/* Dockerfile text for an application the decision put in a container. */
#ifndef LIFTCHECK_DOCKERFILE_H
#define LIFTCHECK_DOCKERFILE_H

#include <json-c/json.h>

#include "util/strbuf.h"

/* Appends a Dockerfile for app (an "applications" entry) to out.  The build
 * context is expected to hold the server's files at their guest paths
 * ("opt/app/bin/x").  Returns 0, or -1 when the app's decision is not
 * "container" (nothing written). */
int app_dockerfile(json_object *app, struct strbuf *out);

#endif
