// SPDX-License-Identifier: MIT
/*
 * Tamper campaign, part 2: boot one (tampered) image on the machine and
 * sort the run into a class: booted, refused by the hypervisor layer,
 * refused by the UV (with the rc/rrc of the failing KVM_PV command),
 * stopped by the loader, or a failure of the host.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pvboot/be.h"
#include "pvboot/boot_abi.h"
#include "pvboot/crypto.h"
#include "pvboot/ipib.h"

#include "campaign.h"

/* pv-machine-and-uv.md §1.5.10: fields of the subcode-10 response. */
#define TP_RESP_CMD(r) ((uint16_t)((r) >> 48))
#define TP_RESP_RRC(r) ((uint16_t)((r) >> 32))
#define TP_RESP_RC(r) ((uint16_t)((r) >> 16))
#define TP_RESP_DIAG(r) ((uint16_t)(r))

const char *tp_region_name(enum tp_region r)
{
	static const char *const names[TP__NREGIONS] = {
		[TP_HEADER] = "se-header",
		[TP_IPIB] = "ipib",
		[TP_COMPONENT] = "component",
		[TP_S3B_ARGS] = "stage3b-args",
		[TP_S3A_PARMS] = "stage3a-parms",
	};

	return (unsigned int)r < TP__NREGIONS ? names[r] : "?";
}

const char *tp_class_name(enum tp_class cls)
{
	static const char *const names[TP__NCLASSES] = {
		[TP_BOOTED_SAME] = "booted-same",
		[TP_BOOTED_DIFF] = "booted-different",
		[TP_REFUSED_HV] = "refused-hv",
		[TP_REFUSED_UV] = "refused-uv",
		[TP_REFUSED_LOADER] = "refused-loader",
		[TP_STOPPED] = "stopped",
		[TP_CRASHED] = "crashed",
		[TP_HUNG] = "hung",
		[TP_HOST_ERROR] = "host-error",
	};

	return (unsigned int)cls < TP__NCLASSES ? names[cls] : "?";
}

const char *tp_expect_name(enum tp_expect e)
{
	switch (e) {
	case TP_MUST_REFUSE:
		return "checked";
	case TP_IGNORED:
		return "ignored";
	case TP_OVERWRITTEN:
		return "overwritten";
	case TP_RANGE:
		return "range";
	}
	return "?";
}

bool tp_class_is_refusal(enum tp_class cls)
{
	return cls == TP_REFUSED_HV || cls == TP_REFUSED_UV ||
	       cls == TP_REFUSED_LOADER || cls == TP_STOPPED;
}

static const char *tp_kvm_cmd_name(uint16_t cmd)
{
	switch (cmd) {
	case 2:
		return "set-secure-parms";
	case 3:
		return "unpack";
	case 4:
		return "verify";
	default:
		return "enable";
	}
}

void tp_outcome_key(const struct tp_outcome *o, char *buf, size_t len)
{
	switch (o->cls) {
	case TP_BOOTED_SAME:
		snprintf(buf, len, "booted, same result");
		break;
	case TP_BOOTED_DIFF:
		snprintf(buf, len, "booted, wait 0x%llx",
			 (unsigned long long)o->wait);
		break;
	case TP_REFUSED_HV:
		if (o->pgm)
			snprintf(buf, len, "hv: DIAG 308 sc %u: program interruption 0x%04x",
				 o->cmd, o->rc);
		else if (o->cmd == 8 || o->cmd == 10)
			snprintf(buf, len, "hv: DIAG 308 sc %u rc 0x%04x%s%s",
				 o->cmd, o->rc, o->detail[0] ? ": " : "",
				 o->detail);
		else
			snprintf(buf, len, "hv: KVM refused %s before any UVC",
				 tp_kvm_cmd_name(o->cmd));
		break;
	case TP_REFUSED_UV:
		snprintf(buf, len, "uv: %s rc 0x%04x rrc 0x%04x",
			 tp_kvm_cmd_name(o->cmd), o->rc, o->rrc);
		break;
	case TP_REFUSED_LOADER:
		snprintf(buf, len, "loader: disabled wait 0x%llx",
			 (unsigned long long)o->wait);
		break;
	case TP_CRASHED:
		if (o->sig >= 1000)
			snprintf(buf, len, "crashed: exit status %d",
				 o->sig - 1000);
		else
			snprintf(buf, len, "crashed: signal %d", o->sig);
		break;
	default:
		snprintf(buf, len, "%s: %s", tp_class_name(o->cls), o->detail);
		break;
	}
}

/* §2.4: name the rule a refused IPIB broke, as the hypervisor applies it. */
struct tp_mem {
	uint64_t size;
};

static bool tp_readable(void *opaque, uint64_t addr, uint64_t len)
{
	const struct tp_mem *m = opaque;

	return addr <= m->size && len <= m->size - addr;
}

/* Bytes of the image as loaded at 0 (RAM past the image reads as zero). */
static void tp_guest_bytes(const struct tp_campaign *c, const uint8_t *buf,
			   uint64_t addr, uint8_t *out, size_t len)
{
	memset(out, 0, len);
	if (addr < c->image_len)
		memcpy(out, buf + addr,
		       c->image_len - addr < len ? c->image_len - addr : len);
}

static void tp_ipib_rule(const struct tp_campaign *c, const uint8_t *buf,
			 struct tp_outcome *o)
{
	uint8_t page[PV_IPL_MAX_LEN], parms[24];
	struct tp_mem mem = {
		c->o.mem_size ? c->o.mem_size : PV_MACHINE_DEFAULT_MEM
	};
	uint64_t ipib = c->ipib_addr, hdr = c->hdr_addr, hdr_len = c->hdr_len;
	const char *why = NULL;
	uint32_t len;

	/* stage3a points the block at the header (se-image-format.md §3.2) */
	if (c->s3a_parms) {
		tp_guest_bytes(c, buf, c->s3a_parms, parms, sizeof(parms));
		hdr = c->s3a_parms + pv_get_be64(parms);
		hdr_len = pv_get_be64(parms + 8);
		ipib = c->s3a_parms + pv_get_be64(parms + 16);
	}
	tp_guest_bytes(c, buf, ipib, page, sizeof(page));
	pv_put_be64(page + PV_IPIB_OFF_HDR_ADDR, hdr);
	pv_put_be64(page + PV_IPIB_OFF_HDR_SIZE, hdr_len);
	len = pv_get_be32(page);
	if (len > PV_IPL_MAX_LEN)
		why = "IPLB length exceeds 4096";
	else
		pv_iplb_check_pv(page, len, tp_readable, &mem, &why);
	if (why)
		snprintf(o->detail, sizeof(o->detail), "%s", why);
}

static void tp_classify(const struct tp_campaign *c, const uint8_t *buf,
			const struct pv_run_result *r, struct tp_outcome *o)
{
	o->wait = r->wait_code;
	if (r->stats.protects) {
		o->cls = TP_BOOTED_DIFF;
		return;		/* the caller compares with the baseline */
	}
	for (size_t i = 0; i < r->nd308 && i < PV_RUN_MAX_D308; i++) {
		const struct pv_d308_event *e = &r->d308[i];

		if (e->subcode != 8 && e->subcode != 10)
			continue;
		if (e->pgm) {
			o->cls = TP_REFUSED_HV;
			o->cmd = (uint16_t)e->subcode;
			o->rc = e->pgm;
			o->pgm = true;
			return;
		}
		if (!e->has_response || e->response == PV_DIAG308_RC_OK)
			continue;
		if (e->subcode == 8 || (!TP_RESP_CMD(e->response) &&
					!TP_RESP_RC(e->response))) {
			o->cls = TP_REFUSED_HV;
			o->cmd = (uint16_t)e->subcode;
			o->rc = TP_RESP_DIAG(e->response);
			if (e->subcode == 8)
				tp_ipib_rule(c, buf, o);
			return;
		}
		o->cmd = TP_RESP_CMD(e->response);
		o->rc = TP_RESP_RC(e->response);
		o->rrc = TP_RESP_RRC(e->response);
		/* rc 0: KVM refused the command before calling the UV (B-07) */
		o->cls = o->rc ? TP_REFUSED_UV : TP_REFUSED_HV;
		return;
	}
	if (r->end == PV_RUN_DISABLED_WAIT || r->end == PV_RUN_SIGP_STOP) {
		o->cls = TP_REFUSED_LOADER;
		return;
	}
	o->cls = TP_STOPPED;
	snprintf(o->detail, sizeof(o->detail), "%s: %.80s",
		 pv_run_end_name(r->end), r->detail);
}

int tp_boot(const struct tp_campaign *c, const uint8_t *buf,
	    struct tp_outcome *out, enum pv_run_end *end,
	    uint8_t console[32], struct pv_err **err)
{
	struct pv_machine_opts mo = {
		.mem_size = c->o.mem_size,
		.host_keys = c->keys,
		.nhost_keys = c->nkeys,
		.timeout = c->o.timeout,
	};
	struct pv_run_result *r = calloc(1, sizeof(*r));
	struct pv_machine *m = NULL;
	char *text = NULL;
	size_t text_len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	mo.console = open_memstream(&text, &text_len);
	if (!r || !mo.console) {
		free(r);
		if (mo.console)
			fclose(mo.console);
		free(text);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	rc = pv_machine_new(&m, &mo, err);
	if (!rc)
		rc = pv_machine_load_buffer(m, buf, c->image_len, err);
	if (!rc)
		rc = pv_machine_run(m, r, err);
	pv_machine_free(m);
	fclose(mo.console);
	if (!rc) {
		tp_classify(c, buf, r, out);
		*end = r->end;
		rc = pv_sha256(text, text_len, console, err);
	}
	free(text);
	free(r);
	out->done = 1;
	return rc;
}

int tp_baseline(struct tp_campaign *c, struct pv_err **err)
{
	struct tp_outcome *b = &c->base;
	struct pv_err *e = NULL;
	uint64_t t0 = 0;
	struct timespec ts;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	rc = tp_boot(c, c->image, b, &c->base_end, c->base_console, &e);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->base_seconds = ((uint64_t)ts.tv_sec * 1000000000ULL +
			   (uint64_t)ts.tv_nsec - t0) / 1e9;
	if (rc) {
		rc = pv_err_set(err, -rc,
				"the untouched image does not run: %s",
				e ? e->msg : "?");
		pv_err_free(e);
		return rc;
	}
	if (b->cls != TP_BOOTED_DIFF ||
	    !(c->base_end == PV_RUN_SIGP_STOP ||
	      (c->base_end == PV_RUN_DISABLED_WAIT &&
	       (b->wait == 0 || b->wait == PV_WAIT_TK_OK)))) {
		char key[160];

		tp_outcome_key(b, key, sizeof(key));
		return pv_err_set(err, PV_ERR_GUEST,
				  "the untouched image does not boot protected with a success code (%s, end %s, wait 0x%llx): check the image and host key",
				  key, pv_run_end_name(c->base_end),
				  (unsigned long long)b->wait);
	}
	b->cls = TP_BOOTED_SAME;
	return 0;
}

void tp_judge_boot(const struct tp_campaign *c, struct tp_outcome *o,
		   enum pv_run_end end, const uint8_t console[32])
{
	if (o->cls != TP_BOOTED_DIFF)
		return;
	if (end == c->base_end && o->wait == c->base.wait &&
	    !memcmp(console, c->base_console, 32))
		o->cls = TP_BOOTED_SAME;
	else if (!o->detail[0])
		snprintf(o->detail, sizeof(o->detail), "end %s",
			 pv_run_end_name(end));
}

bool tp_unexpected(const struct tp_campaign *c, size_t i)
{
	const struct tp_outcome *o = &c->out[i];
	const struct tp_flip *p = &c->flips[i];
	enum tp_expect e = c->fields[p->field].expect;
	bool refused = tp_class_is_refusal(o->cls);

	if (!o->done)
		return true;
	switch (e) {
	case TP_MUST_REFUSE:
		/* stage3a's own block may stop stage3a; elsewhere the
		 * hypervisor or the UV has to be the one that refuses */
		if (c->fields[p->field].region == TP_S3A_PARMS)
			return !refused;
		return o->cls != TP_REFUSED_HV && o->cls != TP_REFUSED_UV;
	case TP_IGNORED:
	case TP_OVERWRITTEN:
		return o->cls != TP_BOOTED_SAME;
	case TP_RANGE:
		return p->want_boot ? o->cls != TP_BOOTED_SAME : !refused;
	}
	return true;
}

size_t tp_count_unexpected(const struct tp_campaign *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nflips; i++)
		n += tp_unexpected(c, i);
	return n;
}
