/* Syscall names by number, from the kernel's uapi headers (asm/unistd_64.h,
 * asm/unistd_32.h) at build time (gen-syscall-table.sh), and why some of
 * them tie a program to its kernel. */
#include <string.h>

#include "scanners/apps/apps_int.h"

#include "syscall_table.h"

const char *apps_syscall_name(int abi32, long nr)
{
    if (nr < 0)
        return NULL;
    if (abi32)
        return (size_t)nr < sizeof names32 / sizeof *names32 ? names32[nr] : NULL;
    return (size_t)nr < sizeof names64 / sizeof *names64 ? names64[nr] : NULL;
}

/* Why a syscall matters for a move to another kernel; NULL when it does not. */
const char *apps_syscall_flag(const char *name, int *kind)
{
    static const struct { const char *name; int kind; const char *why; } t[] = {
        {"_sysctl", SYSF_REMOVED, "removed: ENOSYS since Linux 5.5"},
        {"uselib", SYSF_REMOVED, "removed: a.out library loading"},
        {"create_module", SYSF_REMOVED, "removed since Linux 2.6"},
        {"get_kernel_syms", SYSF_REMOVED, "removed since Linux 2.6"},
        {"query_module", SYSF_REMOVED, "removed since Linux 2.6"},
        {"nfsservctl", SYSF_REMOVED, "removed since Linux 3.1"},
        {"lookup_dcookie", SYSF_REMOVED, "removed since Linux 5.12"},
        {"vm86old", SYSF_REMOVED, "unavailable to 32-bit tasks on 64-bit kernels"},
        {"vm86", SYSF_REMOVED, "unavailable to 32-bit tasks on 64-bit kernels"},
        {"afs_syscall", SYSF_REMOVED, "never implemented"},
        {"tuxcall", SYSF_REMOVED, "never implemented"},
        {"security", SYSF_REMOVED, "never implemented"},
        {"vserver", SYSF_REMOVED, "never implemented"},
        {"getpmsg", SYSF_REMOVED, "never implemented"},
        {"putpmsg", SYSF_REMOVED, "never implemented"},
        {"init_module", SYSF_MODULE, "loads a kernel module"},
        {"finit_module", SYSF_MODULE, "loads a kernel module"},
        {"delete_module", SYSF_MODULE, "unloads a kernel module"},
        {"iopl", SYSF_HARDWARE, "direct I/O port access"},
        {"ioperm", SYSF_HARDWARE, "direct I/O port access"},
        {"kexec_load", SYSF_KEXEC, "boots another kernel"},
        {"kexec_file_load", SYSF_KEXEC, "boots another kernel"},
    };
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (!strcmp(t[i].name, name)) {
            *kind = t[i].kind;
            return t[i].why;
        }
    return NULL;
}
