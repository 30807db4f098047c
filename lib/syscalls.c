/* SPDX-License-Identifier: MIT */
/*
 * DOC: syscalls.c - what newlib asks of its operating system
 *
 * newlib is built with --disable-newlib-supplied-syscalls, so these are the
 * (plain-named, as its x86_64-elf configuration calls them)
 * kernel's answers to its "system calls": file descriptors 1 and 2 write to
 * the console, there is nothing to read or open, and _exit stops the machine
 * (under QEMU with the failure status). sbrk has no heap to give, and none
 * is needed: newlib's malloc family is lib/malloc.c on top of kmalloc, so
 * newlib's sbrk-based allocator (mallocr.o) is never linked; sbrk only
 * answers code that calls it directly, with ENOMEM.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "kernel/printk.h"
#include "kernel/power.h"

#undef errno
extern int errno;

int write(int fd, const char *buf, int len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return len;
}

int read(int fd, char *buf, int len) { errno = EBADF; return -1; }
int close(int fd) { errno = EBADF; return -1; }
int open(const char *path, int flags, int mode) { errno = ENOENT; return -1; }
int lseek(int fd, int off, int whence) { errno = ESPIPE; return -1; }
int isatty(int fd) { return fd <= 2; }
int getpid(void) { return 1; }
int kill(int pid, int sig) { errno = EINVAL; return -1; }

int fstat(int fd, struct stat *st)
{
	st->st_mode = S_IFCHR;
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	errno = ENOMEM;
	return (void *)-1;
}

void _exit(int status)
{
	machine_exit(status ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}
