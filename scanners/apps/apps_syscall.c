/* Static syscall sites of x86 ELF programs: a linear sweep of the executable
 * sections with capstone, tracking the last constant put in eax/rax inside
 * the current basic block. */
#include <capstone/capstone.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/elf/elf_tables.h"
#include "scanners/apps/apps_int.h"
#include "util/xalloc.h"

#define TEXT_CAP (64u << 20)     /* executable bytes read per file */
#define MAX_NR 1024
#define ADDR_CAP 16              /* addresses listed per syscall number */
#define WALK_BACK 64             /* instructions a constant stays trusted */

struct range {
    uint64_t off, size, addr;
};

struct sweep {
    json_object *per[2][MAX_NR];   /* [abi32][nr] -> array of addresses */
    json_object *vsys;
    long sites, unknown;
    int known;                     /* eax holds a known constant */
    long long val;
    int age;                       /* instructions since it was set */
};

static void hex(char *buf, size_t cap, uint64_t a)
{
    snprintf(buf, cap, "0x%llx", (unsigned long long)a);
}

/* Executable ranges from section headers, else from PT_LOAD segments. */
static int ranges_of(const struct elf_tables *t, struct range **out, size_t *nout)
{
    size_t n = 0, cap = t->nsh > t->nph ? t->nsh : t->nph;
    struct range *r = calloc(cap ? cap : 1, sizeof *r);

    *out = NULL;
    *nout = 0;
    if (!r)
        return -1;
    for (size_t i = 0; i < t->nsh; i++)
        if (t->sh[i].type == SHT_PROGBITS && (t->sh[i].flags & SHF_EXECINSTR))
            r[n++] = (struct range){t->sh[i].off, t->sh[i].size, t->sh[i].addr};
    for (size_t i = 0; !n && i < t->nph; i++)
        if (t->ph[i].type == PT_LOAD && (t->ph[i].flags & PF_X))
            r[n++] = (struct range){t->ph[i].off, t->ph[i].filesz, t->ph[i].vaddr};
    *out = r;
    *nout = n;
    return 0;
}

static int starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

static int dest_is_eax(const char *op)
{
    return starts(op, "eax,") || starts(op, "rax,") || starts(op, "ax,") ||
           starts(op, "al,") || starts(op, "ah,") || !strcmp(op, "eax") || !strcmp(op, "rax");
}

static void site(struct sweep *s, int abi32, uint64_t addr)
{
    char a[24];
    s->sites++;
    if (!s->known || s->age > WALK_BACK || s->val < 0 || s->val >= MAX_NR) {
        s->unknown++;
        return;
    }
    json_object **slot = &s->per[abi32][s->val];
    if (!*slot)
        *slot = jarray();
    if (*slot && json_object_array_length(*slot) < ADDR_CAP) {
        hex(a, sizeof a, addr);
        doc_push(*slot, jstr(a));
    }
}

/* Updates the eax state for one instruction. */
static void step(struct sweep *s, const cs_insn *in, int mode64)
{
    const char *m = in->mnemonic, *op = in->op_str;

    if (strstr(op, "0xffffffffff600") && json_object_array_length(s->vsys) < ADDR_CAP) {
        char a[24];
        hex(a, sizeof a, in->address);
        doc_push(s->vsys, jstr(a));
    }
    if (!strcmp(m, "syscall")) {
        site(s, !mode64, in->address);
        s->known = 0;
        return;
    }
    if (!strcmp(m, "sysenter") || (!strcmp(m, "int") && !strcmp(op, "0x80"))) {
        site(s, 1, in->address);
        s->known = 0;
        return;
    }
    s->age++;
    if (m[0] == 'j' || starts(m, "call") || starts(m, "ret") || starts(m, "loop") ||
        starts(m, "iret") || !strcmp(m, "int") || !strcmp(m, "hlt") || !strcmp(m, "ud2") ||
        !strcmp(m, "cpuid") || starts(m, "rdtsc") || starts(m, "lods") || starts(m, "cmpxchg") ||
        (starts(m, "xchg") && (strstr(op, "eax") || strstr(op, "rax"))) ||
        !strcmp(m, "mul") || !strcmp(m, "div") || !strcmp(m, "idiv")) {
        s->known = 0;
        return;
    }
    if (!dest_is_eax(op) || !strcmp(m, "push") || starts(m, "cmp") || !strcmp(m, "test"))
        return;
    const char *comma = strchr(op, ',');
    if ((!strcmp(m, "mov") || !strcmp(m, "movabs")) && comma && op[0] != 'a') {
        char *end;
        long long v = strtoll(comma + 1, &end, 0);
        if (end != comma + 1 && !*end) {
            s->known = 1;
            s->val = v;
            s->age = 0;
            return;
        }
    }
    if ((!strcmp(m, "xor") || !strcmp(m, "sub")) &&
        (!strcmp(op, "eax, eax") || !strcmp(op, "rax, rax"))) {
        s->known = 1;
        s->val = 0;
        s->age = 0;
        return;
    }
    s->known = 0;
}

static int sweep_range(csh h, struct sweep *s, const unsigned char *buf, size_t len,
                       uint64_t addr, int mode64)
{
    cs_insn *in = cs_malloc(h);
    if (!in)
        return -1;
    const uint8_t *code = buf;
    size_t left = len;
    uint64_t a = addr;
    s->known = 0;
    while (left) {
        if (cs_disasm_iter(h, &code, &left, &a, in)) {
            step(s, in, mode64);
            continue;
        }
        /* Data or an encoding capstone does not know: resync a byte on. */
        code++;
        left--;
        a++;
        s->known = 0;
    }
    cs_free(in, 1);
    return 0;
}

json_object *apps_syscalls_of(vfs *v, const char *path)
{
    struct elf_tables t;
    struct range *r = NULL;
    size_t nr = 0;
    unsigned char *buf = NULL;
    struct sweep *s = NULL;
    json_object *res = NULL;
    csh cs = 0;
    int cs_ok = 0, truncated = 0;
    uint64_t budget = TEXT_CAP;

    if (elf_tables_read(v, path, &t) < 0)
        return NULL;
    /* x86 code only: capstone sweeps it, and x86 is little-endian */
    if ((t.machine != EM_X86_64 && t.machine != EM_386) || t.big_endian)
        goto out;
    int mode64 = t.machine == EM_X86_64 && t.is64;
    if (ranges_of(&t, &r, &nr) < 0)
        goto out;
    if (cs_open(CS_ARCH_X86, mode64 ? CS_MODE_64 : CS_MODE_32, &cs) != CS_ERR_OK)
        goto out;
    cs_ok = 1;
    s = xcalloc(1, sizeof *s);
    s->vsys = jarray();
    for (size_t i = 0; i < nr; i++) {
        uint64_t len = r[i].size;
        if (!len)
            continue;
        if (len > budget) {
            len = budget;
            truncated = 1;
        }
        if (!len)
            break;
        unsigned char *nb = realloc(buf, (size_t)len);
        if (!nb)
            goto out;
        buf = nb;
        ssize_t got = vfs_pread(v, path, buf, (size_t)len, r[i].off);
        if (got <= 0)
            continue;
        budget -= (uint64_t)got;
        if (sweep_range(cs, s, buf, (size_t)got, r[i].addr, mode64) < 0)
            goto out;
    }
    res = jobject();
    json_object *list = jarray();
    doc_put(res, "abi", jstr(mode64 ? "x86_64" : "i386"));
    doc_put(res, "sites", jint(s->sites));
    doc_put(res, "unknown_sites", jint(s->unknown));
    doc_put(res, "truncated", jbool(truncated));
    for (int abi = 0; abi < 2; abi++)
        for (int n = 0; n < MAX_NR; n++) {
            if (!s->per[abi][n])
                continue;
            json_object *e = jobject();
            doc_put(e, "nr", jint(n));
            doc_put(e, "name", jstr_or_null(apps_syscall_name(abi, n)));
            doc_put(e, "abi", jstr(abi ? "i386" : "x86_64"));
            doc_put(e, "addresses", s->per[abi][n]);
            s->per[abi][n] = NULL;
            doc_push(list, e);
        }
    doc_put(res, "syscalls", list);
    doc_put(res, "vsyscall_addresses", s->vsys);
    s->vsys = NULL;
out:
    if (s) {
        for (int abi = 0; abi < 2; abi++)
            for (int n = 0; n < MAX_NR; n++)
                json_object_put(s->per[abi][n]);
        json_object_put(s->vsys);
        free(s);
    }
    if (cs_ok)
        cs_close(&cs);
    free(buf);
    free(r);
    elf_tables_free(&t);
    return res;
}
