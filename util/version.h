/* The one ordering of version strings: kernel releases, boot entry ids,
 * symbol versions (GLIBC_2.17), runtime versions (Python 3.10, Java
 * 1.8.0_392) and distribution releases all compare here. */
#ifndef LIFTCHECK_VERSION_H
#define LIFTCHECK_VERSION_H

/* <0, 0 or >0 as a is older than, the same as or newer than b.  The rule,
 * read left to right:
 * - runs of digits compare as numbers, of any length, leading zeros ignored:
 *   "2.10" > "2.9", "GLIBC_2.17" > "GLIBC_2.3.4", "11.0.2" > "1.8.0_392";
 * - '~' sorts before anything, even the end (Debian's rule):
 *   "1.0~rc1" < "1.0";
 * - where one string ends, the longer is newer: "2.8.1g" > "2.8.1",
 *   "5.10.0-26-amd64" > "5.10.0";
 * - a number is newer than any other byte at the same place (rpm's rule, so
 *   a rebuild outranks its release tag): "3.10.0-1160.102.1.el7" >
 *   "3.10.0-1160.el7";
 * - runs of separators (bytes other than letters, digits and '~') only
 *   separate and are equal to each other: "1_1_0" = "1.1.0"; a separator
 *   is older than a letter: "6.1.0-13" < "6.1.0a";
 * - letters compare as bytes, so flavours order by name:
 *   "6.1.0-13-cloud-amd64" > "6.1.0-13-amd64", and "1.0.2k" < "1.0.2u".
 * NULL reads as "". */
int version_cmp(const char *a, const char *b);

#endif
