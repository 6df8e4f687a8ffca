/* SPDX-License-Identifier: MIT */
/*
 * Unicorn, loaded on first use.  Only `run` needs the CPU emulator, and
 * linking libunicorn costs every other command ~5 MiB of resident memory
 * and its relocation time at start-up, so the machine resolves the few
 * uc_* functions it calls with dlopen/dlsym when the first machine is
 * made.  The rest of machine/ keeps writing uc_open(...) etc.: the macros
 * below route those names through the resolved table.
 */
#ifndef PVBOOT_UC_LIB_H
#define PVBOOT_UC_LIB_H

#include <unicorn/unicorn.h>

#include "pvboot/err.h"

/* soname of the Unicorn 2 shared library (Debian package libunicorn2) */
#define UC_LIB_SONAME "libunicorn.so.2"

/* The uc_* entry points machine/ uses, with the types of unicorn.h. */
struct uc_lib {
	__typeof__(uc_version) *version;
	__typeof__(uc_open) *open;
	__typeof__(uc_close) *close;
	__typeof__(uc_strerror) *strerror;
	__typeof__(uc_mem_map) *mem_map;
	__typeof__(uc_mem_map_ptr) *mem_map_ptr;
	__typeof__(uc_mem_unmap) *mem_unmap;
	__typeof__(uc_mem_write) *mem_write;
	__typeof__(uc_reg_read) *reg_read;
	__typeof__(uc_reg_write) *reg_write;
	__typeof__(uc_emu_start) *emu_start;
	__typeof__(uc_emu_stop) *emu_stop;
	__typeof__(uc_hook_add) *hook_add;
	__typeof__(uc_ctl) *ctl;
};

/* Filled by uc_lib_load(); read-only afterwards. */
extern struct uc_lib uc_lib;

/*
 * Load libunicorn (UC_LIB_SONAME, or the file named by the environment
 * variable PVBOOT_LIBUNICORN) and resolve every entry of uc_lib.  Safe to
 * call from several threads and many times; after the first success it
 * returns 0 at once.  Returns PV_ERR_IO naming the library and the loader's
 * reason when the library or one of its functions is missing, or when its
 * major version is not 2.
 */
int uc_lib_load(struct pv_err **err);

#ifndef UC_LIB_IMPL
#define uc_open (uc_lib.open)
#define uc_close (uc_lib.close)
#define uc_strerror (uc_lib.strerror)
#define uc_mem_map (uc_lib.mem_map)
#define uc_mem_map_ptr (uc_lib.mem_map_ptr)
#define uc_mem_unmap (uc_lib.mem_unmap)
#define uc_mem_write (uc_lib.mem_write)
#define uc_reg_read (uc_lib.reg_read)
#define uc_reg_write (uc_lib.reg_write)
#define uc_emu_start (uc_lib.emu_start)
#define uc_emu_stop (uc_lib.emu_stop)
#define uc_hook_add (uc_lib.hook_add)
#define uc_ctl (uc_lib.ctl)
#endif

#endif
