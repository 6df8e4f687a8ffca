// SPDX-License-Identifier: MIT
/* Unicorn resolved at run time (see uc_lib.h for why). */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UC_LIB_IMPL
#include "uc_lib.h"

struct uc_lib uc_lib;
struct uc_core uc_core;

/*
 * LeakSanitizer (the ASan+UBSan builds): libunicorn gives a code page that
 * guest stores keep hitting a bitmap of its translated bytes
 * (tb_invalidate_phys_page_fast) and does not free it at uc_close.  That
 * block is the library's, at most one per page; compiled in because the
 * emulator process may open no suppressions file.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:tb_invalidate_phys_page_fast_s390x\n";
}

static pthread_mutex_t uc_lib_mu = PTHREAD_MUTEX_INITIALIZER;
static void *uc_lib_handle;
static char build_id[41];

struct sym {
	size_t off;
	const char *name;
};

#define SYM(field, name) { offsetof(struct uc_lib, field), name }
static const struct sym uc_syms[] = {
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
#undef SYM

#define CORE(field, name) { offsetof(struct uc_core, field), name }
static const struct sym core_syms[] = {
	CORE(get_psw_mask, "get_psw_mask"),
	CORE(interrupt_handler, "cpu_interrupt_handler"),
	CORE(reset_interrupt, "cpu_reset_interrupt"),
	CORE(cpu_exit, "cpu_exit"),
	CORE(restore_state, "cpu_restore_state_s390x"),
	CORE(loop_exit, "cpu_loop_exit_s390x"),
	CORE(program_interrupt, "tcg_s390_program_interrupt_s390x"),
	CORE(get_cpu, "qemu_get_cpu_s390x"),
	CORE(mmu_translate, "mmu_translate"),
	CORE(tlb_flush, "tlb_flush_s390x"),
	CORE(tlb_reset_dirty, "tlb_reset_dirty_s390x"),
	CORE(map_ram_ptr, "qemu_map_ram_ptr_s390x"),
	CORE(tb_invalidate_range, "tb_invalidate_phys_range_s390x"),
	CORE(o_cpu_exec, "cpu_exec_s390x"),
	CORE(o_memory_mapping, "memory_mapping"),
	CORE(o_tlb_set_page, "tlb_set_page_with_attrs_s390x"),
	CORE(o_tlb_protect_code, "tlb_protect_code_s390x"),
	CORE(o_tlb_unprotect_code, "tlb_unprotect_code_s390x"),
	CORE(o_lctl, "helper_lctl"),
	CORE(o_lctlg, "helper_lctlg"),
	CORE(o_stb, "helper_ret_stb_mmu_s390x"),
	CORE(o_stw, "helper_be_stw_mmu_s390x"),
	CORE(o_stl, "helper_be_stl_mmu_s390x"),
	CORE(o_stq, "helper_be_stq_mmu_s390x"),
	CORE(o_tb_invalidate_fast, "tb_invalidate_phys_page_fast_s390x"),
	CORE(o_load_psw, "helper_load_psw"),
	CORE(o_spx, "helper_spx"),
	CORE(o_stctl, "helper_stctl"),
	CORE(o_stctg, "helper_stctg"),
	CORE(o_testblock, "helper_testblock"),
	CORE(o_tprot, "helper_tprot"),
	CORE(o_iske, "helper_iske"),
	CORE(o_sske, "helper_sske"),
	CORE(o_rrbe, "helper_rrbe"),
	CORE(o_sacf, "helper_sacf"),
	CORE(o_idte, "helper_idte"),
	CORE(o_ipte, "helper_ipte"),
	CORE(o_ptlb, "helper_ptlb"),
	CORE(o_purge, "helper_purge"),
	CORE(o_lra, "helper_lra"),
	CORE(o_ldl_code, "cpu_ldl_code_s390x"),
	CORE(o_lduw_code, "cpu_lduw_code_s390x"),
	CORE(o_ex, "helper_ex"),
	CORE(f128_sqrt, "float128_sqrt_s390x"),
	CORE(o_sfpc, "helper_sfpc"),
	CORE(o_sfas, "helper_sfas"),
	CORE(f32_add, "float32_add_s390x"),
	CORE(f64_add, "float64_add_s390x"),
	CORE(f128_add, "float128_add_s390x"),
	CORE(f32_sub, "float32_sub_s390x"),
	CORE(f64_sub, "float64_sub_s390x"),
	CORE(f128_sub, "float128_sub_s390x"),
	CORE(f32_mul, "float32_mul_s390x"),
	CORE(f64_mul, "float64_mul_s390x"),
	CORE(f128_mul, "float128_mul_s390x"),
	CORE(f32_div, "float32_div_s390x"),
	CORE(f64_div, "float64_div_s390x"),
	CORE(f128_div, "float128_div_s390x"),
	CORE(f32_sqrt, "float32_sqrt_s390x"),
	CORE(f64_sqrt, "float64_sqrt_s390x"),
	CORE(f32_muladd, "float32_muladd_s390x"),
	CORE(f64_muladd, "float64_muladd_s390x"),
	CORE(f32_rint, "float32_round_to_int_s390x"),
	CORE(f64_rint, "float64_round_to_int_s390x"),
	CORE(f128_rint, "float128_round_to_int_s390x"),
	CORE(f32_to_f128, "float32_to_float128_s390x"),
	CORE(f64_to_f128, "float64_to_float128_s390x"),
	CORE(f64_to_f32, "float64_to_float32_s390x"),
	CORE(f128_to_f32, "float128_to_float32_s390x"),
	CORE(f128_to_f64, "float128_to_float64_s390x"),
	CORE(f128_scalbn, "float128_scalbn_s390x"),
	CORE(i64_to_f32, "int64_to_float32_s390x"),
	CORE(i64_to_f64, "int64_to_float64_s390x"),
	CORE(u64_to_f32, "uint64_to_float32_s390x"),
	CORE(u64_to_f64, "uint64_to_float64_s390x"),
};
#undef CORE

static int resolve(void *h, const char *file, const struct sym *syms,
		   size_t n, void *table, struct pv_err **err)
{
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f)
			return pv_err_set(err, PV_ERR_IO,
					  "the Unicorn library '%s' has no function %s: pvboot needs Debian's libunicorn2 2.0.1 (an s390x-enabled Unicorn 2.0 build)",
					  file, syms[i].name);
		/* POSIX: a dlsym result converts to a function pointer */
		memcpy((char *)table + syms[i].off, &f, sizeof(f));
	}
	return 0;
}

struct find_note {
	uintptr_t base;
	bool found;
};

/* The NT_GNU_BUILD_ID note of the object loaded at @base. */
static int note_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct find_note *fn = data;

	if (info->dlpi_addr != fn->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p = (const uint8_t *)(info->dlpi_addr +
						     ph->p_vaddr);
		size_t left = ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (left >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			size_t nsz = (nh->n_namesz + 3) & ~3U;
			size_t dsz = (nh->n_descsz + 3) & ~3U;
			const uint8_t *desc = p + sizeof(*nh) + nsz;

			if (sizeof(*nh) + nsz + dsz > left)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID &&
			    nh->n_namesz == 4 && !memcmp(p + sizeof(*nh), "GNU", 4)) {
				for (size_t k = 0; k < nh->n_descsz && k < 20; k++)
					snprintf(build_id + 2 * k, 3, "%02x",
						 desc[k]);
				fn->found = true;
				return 1;
			}
			p += sizeof(*nh) + nsz + dsz;
			left -= sizeof(*nh) + nsz + dsz;
		}
	}
	return 1;
}

static void read_build_id(void *h)
{
	struct link_map *lm = NULL;
	struct find_note fn = { 0 };

	build_id[0] = 0;
	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) || !lm)
		return;
	fn.base = lm->l_addr;
	dl_iterate_phdr(note_cb, &fn);
}

const char *uc_lib_build_id(void)
{
	return build_id;
}

int uc_lib_load(struct pv_err **err)
{
	const char *file = getenv("PVBOOT_LIBUNICORN");
	unsigned int major = 0, minor = 0;
	struct uc_core c;
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
	memset(&c, 0, sizeof(c));
	rc = resolve(h, file, uc_syms, sizeof(uc_syms) / sizeof(uc_syms[0]),
		     &t, err);
	if (!rc) {
		t.version(&major, &minor);
		if (major != UC_API_MAJOR || minor != 0)
			rc = pv_err_set(err, PV_ERR_IO,
					"the Unicorn library '%s' is version %u.%u; pvboot's s390x machine is built on Unicorn 2.0 (Debian's libunicorn2 2.0.1)",
					file, major, minor);
	}
	if (!rc)
		rc = resolve(h, file, core_syms,
			     sizeof(core_syms) / sizeof(core_syms[0]), &c,
			     err);
	if (rc) {
		dlclose(h);
	} else {
		uc_lib = t;
		uc_core = c;
		read_build_id(h);
		uc_lib_handle = h;
	}
	pthread_mutex_unlock(&uc_lib_mu);
	return rc;
}
