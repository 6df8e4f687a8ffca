// SPDX-License-Identifier: MIT
/* Unicorn resolved at run time (see uc_lib.h for why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define UC_LIB_IMPL
#include "uc_lib.h"

struct uc_lib uc_lib;

static pthread_mutex_t uc_lib_mu = PTHREAD_MUTEX_INITIALIZER;
static void *uc_lib_handle;

#define SYM(field, name) { offsetof(struct uc_lib, field), name }
static const struct {
	size_t off;
	const char *name;
} uc_syms[] = {
	SYM(version, "uc_version"),
	SYM(open, "uc_open"),
	SYM(close, "uc_close"),
	SYM(strerror, "uc_strerror"),
	SYM(mem_map, "uc_mem_map"),
	SYM(mem_map_ptr, "uc_mem_map_ptr"),
	SYM(mem_unmap, "uc_mem_unmap"),
	SYM(mem_write, "uc_mem_write"),
	SYM(reg_read, "uc_reg_read"),
	SYM(reg_write, "uc_reg_write"),
	SYM(emu_start, "uc_emu_start"),
	SYM(emu_stop, "uc_emu_stop"),
	SYM(hook_add, "uc_hook_add"),
	SYM(ctl, "uc_ctl"),
};

static int resolve(void *h, const char *file, struct uc_lib *t,
		   struct pv_err **err)
{
	unsigned int major = 0, minor = 0;

	for (size_t i = 0; i < sizeof(uc_syms) / sizeof(uc_syms[0]); i++) {
		void *f = dlsym(h, uc_syms[i].name);

		if (!f)
			return pv_err_set(err, PV_ERR_IO,
					  "the Unicorn library '%s' has no function %s: not Unicorn %d",
					  file, uc_syms[i].name, UC_API_MAJOR);
		/* POSIX: a dlsym result converts to a function pointer */
		memcpy((char *)t + uc_syms[i].off, &f, sizeof(f));
	}
	t->version(&major, &minor);
	if (major != UC_API_MAJOR)
		return pv_err_set(err, PV_ERR_IO,
				  "the Unicorn library '%s' is version %u.%u; pvboot needs %d.x",
				  file, major, minor, UC_API_MAJOR);
	return 0;
}

int uc_lib_load(struct pv_err **err)
{
	const char *file = getenv("PVBOOT_LIBUNICORN");
	struct uc_lib t;
	void *h;
	int rc;

	pthread_mutex_lock(&uc_lib_mu);
	if (uc_lib_handle) {
		pthread_mutex_unlock(&uc_lib_mu);
		return 0;
	}
	if (!file || !*file)
		file = UC_LIB_SONAME;
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		pthread_mutex_unlock(&uc_lib_mu);
		return pv_err_set(err, PV_ERR_IO,
				  "cannot load the Unicorn CPU emulator '%s', which running a guest needs (Debian package libunicorn2): %s",
				  file, why ? why : "unknown reason");
	}
	memset(&t, 0, sizeof(t));
	rc = resolve(h, file, &t, err);
	if (rc) {
		dlclose(h);
	} else {
		uc_lib = t;
		uc_lib_handle = h;
	}
	pthread_mutex_unlock(&uc_lib_mu);
	return rc;
}
