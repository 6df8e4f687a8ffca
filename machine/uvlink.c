// SPDX-License-Identifier: MIT
/*
 * The UV in another process.  `pvboot run` runs guest code in a process
 * that holds no key (issue 14 §1): the software UV, with the host keys and
 * every key it derives, stays in the process that started it.  The
 * machine then talks to a proxy UV (pv_uv_new_proxy) whose calls travel
 * over a SOCK_SEQPACKET socket; the other side serves them on the real UV
 * (pv_machine_uv_serve).
 *
 * Memory the UV works on (guest RAM, the hypervisor's host area) is shared:
 * the machine allocates it from memfds and sends them (SCM_RIGHTS) when it
 * maps the region for the UV, so unpacking and zeroing write the pages the
 * CPUs read.  Bulk data of host reads and writes goes through a shared
 * scratch area; control blocks travel in the messages.  While a call is
 * out, the UV side may ask back: NOTIFY (the UV changed memory: translated
 * code there is stale) and XLATE (a guest logical address, through the
 * calling CPU's DAT).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"
#include "pvboot/machine.h"
#include "pvboot/uv.h"

#include "machine_priv.h"

enum ul_op {
	UL_SCRATCH = 1,	/* fd: the shared scratch area (a = length) */
	UL_MAP,		/* fd: a = host address, b = length, c = flags */
	UL_CALL,	/* UVCB in the payload */
	UL_GUEST_CALL,	/* a = CPU handle, b = problem state, UVCB */
	UL_HOST_READ,	/* a = host address, b = length: into scratch */
	UL_HOST_WRITE,	/* a = host address, b = length: from scratch */
	UL_PAGE_STATE,	/* a = host address */
	UL_START_PSW,	/* a = CPU handle -> a = mask, b = address */
	UL_RESET_REQ,	/* a = CPU handle, b = clear */
	UL_SIE_ENTRY,	/* a = CPU handle, b = prefix -> a = reason */
	UL_STATS,	/* -> struct pv_uv_stats in the payload */
	UL_NEXT_SECURE,	/* a = from, b = end, c = hidden -> a = sweep() */
	UL_REPLY,	/* rc, a, b, payload */
	UL_NOTIFY,	/* UV side: a = host address, b = length */
	UL_XLATE,	/* UV side: a = CPU handle, b = logical address */
	UL_XLATE_REPLY,	/* rc, a = absolute address */
	UL_CALL_MANY,	/* a = stride, b = count, the UVCBs -> b = done */
};

#define UL_MAX_PAYLOAD 8192U
#define UL_SCRATCH_LEN (1ULL << 20)
#define UL_MAX_SHM 8

struct ul_msg {
	uint32_t op;
	uint32_t len;		/* payload bytes */
	int64_t rc;
	uint64_t a, b, c;
	/* a reply also carries the UV's last guest-memory write (NOTIFY) */
	uint64_t nt_addr, nt_len;
	uint8_t payload[UL_MAX_PAYLOAD];
};

#define UL_HDR offsetof(struct ul_msg, payload)

/* ---- messages ------------------------------------------------------------ */

static int ul_send(int fd, const struct ul_msg *m, int pass_fd)
{
	struct iovec iov = { .iov_base = (void *)m,
			     .iov_len = UL_HDR + m->len };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (pass_fd >= 0) {
		memset(&c, 0, sizeof(c));
		mh.msg_control = c.buf;
		mh.msg_controllen = sizeof(c.buf);
		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &pass_fd, sizeof(int));
	}
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)iov.iov_len ? 0 : -1;
}

/*
 * Calls come in bursts (unpack: one per page, thousands in a row), and a
 * process that sleeps in recvmsg costs a wake-up of tens of microseconds
 * on a virtual machine, more than the call itself.  So look for the next
 * message without sleeping for up to UL_SPIN_NS first.
 */
#define UL_SPIN_NS 60000
/* requests closer than this apart make a burst (pv_machine_uv_serve) */
#define UL_BURST_NS 200000

static uint64_t ul_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static ssize_t ul_recv_spin(int fd, struct msghdr *mh)
{
	uint64_t until = 0;
	ssize_t n;

	for (unsigned int i = 0;; i++) {
		n = recvmsg(fd, mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
		if ((i & 15) == 0) {
			uint64_t now = ul_now_ns();

			if (!until)
				until = now + UL_SPIN_NS;
			else if (now >= until)
				return n;
		}
	}
}

/*
 * 1 a message, 0 end of stream, -1 error; *@got_fd a passed fd or -1.
 * @spin: a reply is due (ul_recv_spin); not for the next request, which
 * may be far away (the guest runs meanwhile).
 */
static int ul_recv(int fd, struct ul_msg *m, int *got_fd, bool spin)
{
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = c.buf,
			     .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h;
	ssize_t n;

	if (got_fd)
		*got_fd = -1;
	n = spin ? ul_recv_spin(fd, &mh) : -1;
	if (!spin)
		errno = EAGAIN;
	while (n < 0 && (errno == EINTR || errno == EAGAIN))
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (n == 0)
		return 0;
	if (n < (ssize_t)UL_HDR || (mh.msg_flags & MSG_TRUNC) ||
	    (size_t)n != UL_HDR + m->len)
		return -1;
	for (h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h)) {
		int pfd;

		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		memcpy(&pfd, CMSG_DATA(h), sizeof(int));
		if (got_fd && *got_fd < 0)
			*got_fd = pfd;
		else
			close(pfd);
	}
	return 1;
}

/* ---- the machine's side: the proxy's transport --------------------------- */

struct uvlink {
	int fd;
	struct pv_uv *proxy;
	pthread_mutex_t mu;
	uint8_t *scratch;
	struct {
		uint8_t *p;
		uint64_t len;
		int fd;
	} shm[UL_MAX_SHM];
	unsigned int nshm;
	struct ul_msg req, rep;
};

/* The other side is gone: nothing the machine can do without its UV. */
static void ul_lost(void)
{
	static const char msg[] =
		"pvboot: the Ultravisor process is gone; the machine stops\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say */
	}
	_exit(1);
}

/*
 * One call: send l->req (with @pass_fd), answer the UV side's NOTIFY and
 * XLATE until the reply arrives in l->rep.  Caller holds l->mu.
 */
/*
 * The UV asks for one page at a time, and a request may span thousands
 * (a guest may claim a 4 GiB secret request).  Each answer also says how
 * many pages after @laddr map contiguously after @gabs (at most
 * UL_XLATE_RUN in all), so that the UV process asks once per run.  The
 * calling CPU waits in its UVC meanwhile: its DAT cannot change.
 */
#define UL_XLATE_RUN 256

static uint64_t ul_xlate_run(struct uvlink *l, uint64_t cpu, uint64_t laddr,
			     uint64_t gabs)
{
	uint64_t n = 1, g;

	laddr &= ~(uint64_t)(PV_PAGE_SIZE - 1);
	gabs &= ~(uint64_t)(PV_PAGE_SIZE - 1);
	while (n < UL_XLATE_RUN &&
	       laddr + n * PV_PAGE_SIZE > laddr &&
	       !pv_uv_proxy_xlate(l->proxy, cpu, laddr + n * PV_PAGE_SIZE, &g) &&
	       g == gabs + n * PV_PAGE_SIZE)
		n++;
	return n;
}

static void ul_rpc(struct uvlink *l, int pass_fd)
{
	struct ul_msg *r = &l->rep;

	if (ul_send(l->fd, &l->req, pass_fd))
		ul_lost();
	for (;;) {
		if (ul_recv(l->fd, r, NULL, true) != 1)
			ul_lost();
		if (r->op == UL_REPLY) {
			if (r->nt_len)
				pv_uv_proxy_notify(l->proxy, r->nt_addr,
						   r->nt_len);
			return;
		}
		if (r->op == UL_NOTIFY) {
			pv_uv_proxy_notify(l->proxy, r->a, r->b);
		} else if (r->op == UL_XLATE) {
			struct ul_msg x = { .op = UL_XLATE_REPLY };
			uint64_t gabs;

			x.rc = pv_uv_proxy_xlate(l->proxy, r->a, r->b, &gabs);
			x.a = gabs;
			x.b = x.rc ? 0 : ul_xlate_run(l, r->a, r->b, gabs);
			if (ul_send(l->fd, &x, -1))
				ul_lost();
		} else {
			ul_lost();
		}
	}
}

static void ul_begin(struct uvlink *l, enum ul_op op, uint64_t a,
		     uint64_t b, uint64_t c)
{
	pthread_mutex_lock(&l->mu);
	memset(&l->req, 0, UL_HDR);
	l->req.op = op;
	l->req.a = a;
	l->req.b = b;
	l->req.c = c;
}

static int64_t ul_end(struct uvlink *l)
{
	int64_t rc = l->rep.rc;

	pthread_mutex_unlock(&l->mu);
	return rc;
}

static int ul_uvcb(struct uvlink *l, enum ul_op op, uint64_t cpu,
		   bool pstate, void *uvcb, size_t buflen, uint16_t *pgm)
{
	size_t n = buflen < UL_MAX_PAYLOAD ? buflen : UL_MAX_PAYLOAD;
	int64_t cc;

	ul_begin(l, op, cpu, pstate, 0);
	l->req.len = (uint32_t)n;
	memcpy(l->req.payload, uvcb, n);
	ul_rpc(l, -1);
	if (l->rep.len <= n)
		memcpy(uvcb, l->rep.payload, l->rep.len);
	if (pgm)
		*pgm = (uint16_t)l->rep.a;
	cc = ul_end(l);
	return (int)cc;
}

static int op_call(void *t, void *uvcb, size_t buflen, uint16_t *pgm)
{
	return ul_uvcb(t, UL_CALL, 0, false, uvcb, buflen, pgm);
}

/* pv_uv_call_many(): as many UVCBs a message as the payload holds. */
static int op_call_many(void *t, void *uvcbs, size_t stride, size_t n,
			size_t *done, uint16_t *pgm)
{
	struct uvlink *l = t;
	uint8_t *cb = uvcbs;
	size_t per = stride && stride <= UL_MAX_PAYLOAD ?
		     UL_MAX_PAYLOAD / stride : 0, i = 0;
	int cc = 0;

	*done = 0;
	if (!per) {
		if (pgm)
			*pgm = PV_PGM_ADDRESSING;
		return -1;
	}
	while (i < n && !cc) {
		size_t k = n - i < per ? n - i : per, got;

		ul_begin(l, UL_CALL_MANY, stride, k, 0);
		l->req.len = (uint32_t)(k * stride);
		memcpy(l->req.payload, cb + i * stride, k * stride);
		ul_rpc(l, -1);
		got = l->rep.b;
		if (got > k || l->rep.len != k * stride) {
			ul_end(l);
			ul_lost();
		}
		memcpy(cb + i * stride, l->rep.payload, k * stride);
		if (pgm)
			*pgm = (uint16_t)l->rep.a;
		cc = (int)ul_end(l);
		i += got;
	}
	*done = i;
	return cc;
}

static int op_guest_call(void *t, uint64_t cpu, void *uvcb, size_t buflen,
			 bool pstate, uint16_t *pgm)
{
	return ul_uvcb(t, UL_GUEST_CALL, cpu, pstate, uvcb, buflen, pgm);
}

/* Host reads and writes in scratch-sized pieces. */
static int op_host_read(void *t, uint64_t haddr, void *buf, size_t len)
{
	struct uvlink *l = t;
	size_t done = 0;

	do {
		size_t n = len - done < UL_SCRATCH_LEN ? len - done :
							 UL_SCRATCH_LEN;
		int rc;

		ul_begin(l, UL_HOST_READ, haddr + done, n, 0);
		ul_rpc(l, -1);
		if (!l->rep.rc)
			memcpy((uint8_t *)buf + done, l->scratch, n);
		rc = (int)ul_end(l);
		if (rc)
			return rc;
		done += n;
	} while (done < len);
	return 0;
}

static int op_host_write(void *t, uint64_t haddr, const void *buf,
			 size_t len)
{
	struct uvlink *l = t;
	size_t done = 0;

	do {
		size_t n = len - done < UL_SCRATCH_LEN ? len - done :
							 UL_SCRATCH_LEN;
		int rc;

		ul_begin(l, UL_HOST_WRITE, haddr + done, n, 0);
		memcpy(l->scratch, (const uint8_t *)buf + done, n);
		ul_rpc(l, -1);
		rc = (int)ul_end(l);
		if (rc)
			return rc;
		done += n;
	} while (done < len);
	return 0;
}

static enum pv_page_state op_page_state(void *t, uint64_t haddr)
{
	struct uvlink *l = t;

	ul_begin(l, UL_PAGE_STATE, haddr, 0, 0);
	ul_rpc(l, -1);
	return (enum pv_page_state)ul_end(l);
}

static int op_map_host(void *t, uint64_t haddr, void *ptr, uint64_t len,
		       unsigned int flags, struct pv_err **err)
{
	struct uvlink *l = t;
	int fd = -1;
	int64_t rc;

	for (unsigned int i = 0; i < l->nshm; i++)
		if (l->shm[i].p == ptr && l->shm[i].len >= len)
			fd = l->shm[i].fd;
	if (fd < 0)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "UV link: memory at %p is not shared with the UV",
				  ptr);
	ul_begin(l, UL_MAP, haddr, len, flags);
	ul_rpc(l, fd);
	rc = l->rep.rc;
	if (rc)
		pv_err_set(err, (int)-rc, "%.*s", (int)l->rep.len,
			   (const char *)l->rep.payload);
	ul_end(l);
	return (int)rc;
}

static int op_cpu_start_psw(void *t, uint64_t cpu, uint64_t *mask,
			    uint64_t *addr)
{
	struct uvlink *l = t;

	ul_begin(l, UL_START_PSW, cpu, 0, 0);
	ul_rpc(l, -1);
	*mask = l->rep.a;
	*addr = l->rep.b;
	return (int)ul_end(l);
}

static int op_guest_reset_request(void *t, uint64_t cpu, bool clear)
{
	struct uvlink *l = t;

	ul_begin(l, UL_RESET_REQ, cpu, clear, 0);
	ul_rpc(l, -1);
	return (int)ul_end(l);
}

static int op_sie_entry(void *t, uint64_t cpu, uint64_t prefix,
			uint16_t *reason)
{
	struct uvlink *l = t;

	ul_begin(l, UL_SIE_ENTRY, cpu, prefix, 0);
	ul_rpc(l, -1);
	*reason = (uint16_t)l->rep.a;
	return (int)ul_end(l);
}

static void op_get_stats(void *t, struct pv_uv_stats *st)
{
	struct uvlink *l = t;

	ul_begin(l, UL_STATS, 0, 0, 0);
	ul_rpc(l, -1);
	memset(st, 0, sizeof(*st));
	if (l->rep.len == sizeof(*st))
		memcpy(st, l->rep.payload, sizeof(*st));
	ul_end(l);
}

static void op_free(void *t)
{
	struct uvlink *l = t;

	for (unsigned int i = 0; i < l->nshm; i++)
		close(l->shm[i].fd);
	if (l->scratch)
		munmap(l->scratch, UL_SCRATCH_LEN);
	close(l->fd);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

static const struct pv_uv_ops ul_ops = {
	.call = op_call,
	.guest_call = op_guest_call,
	.host_read = op_host_read,
	.host_write = op_host_write,
	.page_state = op_page_state,
	.map_host = op_map_host,
	.cpu_start_psw = op_cpu_start_psw,
	.guest_reset_request = op_guest_reset_request,
	.sie_entry = op_sie_entry,
	.get_stats = op_get_stats,
	.free = op_free,
	.call_many = op_call_many,
};

/*
 * A sweep over guest pages stops at a page in state @st: with @hidden
 * only where the hypervisor may not touch it (secure, donated: U-09),
 * else at any page that is not non-secure.
 */
static bool sweep_stops(enum pv_page_state st, bool hidden)
{
	if (hidden)
		return st == PV_PAGE_SECURE || st == PV_PAGE_DONATED;
	return st != PV_PAGE_NONSECURE;
}

/* The first page in [@from, @end) where the sweep stops, or @end. */
static uint64_t sweep(const struct pv_uv *uv, uint64_t from, uint64_t end,
		      bool hidden)
{
	uint64_t a;

	for (a = from & ~(uint64_t)PV_PAGE_MASK; a < end; a += PV_PAGE_SIZE)
		if (sweep_stops(pv_uv_page_state(uv, a), hidden))
			return a < from ? from : a;
	return end;
}

/* One call for the whole sweep when the UV is elsewhere. */
static uint64_t uvlink_sweep(struct pv_machine *m, uint64_t from,
			     uint64_t end, bool hidden)
{
	struct uvlink *l = m->uvl;
	uint64_t a;

	if (!l)
		return sweep(m->uv, from, end, hidden);
	ul_begin(l, UL_NEXT_SECURE, from, end, hidden);
	ul_rpc(l, -1);
	a = l->rep.a;
	ul_end(l);
	return a;
}

uint64_t uvlink_next_secure(struct pv_machine *m, uint64_t from, uint64_t end)
{
	return uvlink_sweep(m, from, end, false);
}

uint64_t uvlink_next_hidden(struct pv_machine *m, uint64_t from, uint64_t end)
{
	return uvlink_sweep(m, from, end, true);
}

/* Anonymous shared memory (a memfd). */
static void *shm_new(uint64_t len, int *fd_out, struct pv_err **err)
{
	int fd = memfd_create("pvboot-guest", MFD_CLOEXEC);
	void *p;

	if (fd < 0 || ftruncate(fd, (off_t)len)) {
		pv_err_set(err, PV_ERR_NOMEM,
			   "cannot make %llu bytes of shared memory: %s",
			   (unsigned long long)len, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_NORESERVE, fd, 0);
	if (p == MAP_FAILED) {
		pv_err_set(err, PV_ERR_NOMEM,
			   "cannot map %llu bytes of shared memory: %s",
			   (unsigned long long)len, strerror(errno));
		close(fd);
		return NULL;
	}
	*fd_out = fd;
	return p;
}

int uvlink_open(struct pv_machine *m, int fd, struct pv_err **err)
{
	struct uvlink *l = calloc(1, sizeof(*l));
	int sfd;
	int rc;

	if (!l)
		return pv_err_set(err, PV_ERR_NOMEM, "machine: out of memory");
	l->fd = fd;
	pthread_mutex_init(&l->mu, NULL);
	l->scratch = shm_new(UL_SCRATCH_LEN, &sfd, err);
	if (!l->scratch) {
		pthread_mutex_destroy(&l->mu);
		free(l);
		return -PV_ERR_NOMEM;
	}
	rc = pv_uv_new_proxy(&m->uv, &ul_ops, l, err);
	if (rc) {
		munmap(l->scratch, UL_SCRATCH_LEN);
		close(sfd);
		pthread_mutex_destroy(&l->mu);
		free(l);
		return rc;
	}
	l->proxy = m->uv;
	m->uvl = l;
	ul_begin(l, UL_SCRATCH, UL_SCRATCH_LEN, 0, 0);
	ul_rpc(l, sfd);
	rc = (int)ul_end(l);
	close(sfd);
	if (rc)
		return pv_err_set(err, PV_ERR_IO,
				  "the UV process cannot map the scratch area");
	return 0;
}

/*
 * Memory the UV must reach: shared (a memfd) when the UV is elsewhere,
 * private anonymous otherwise.  *@flags gets the pv_uv_map_host flags.
 */
void *uvlink_mem(struct pv_machine *m, uint64_t len, unsigned int *flags,
		 struct pv_err **err)
{
	struct uvlink *l = m->uvl;
	void *p;
	int fd;

	if (!l) {
		*flags = PV_UV_MAP_ANON;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			pv_err_set(err, PV_ERR_NOMEM,
				   "cannot reserve %llu bytes of memory",
				   (unsigned long long)len);
			return NULL;
		}
		return p;
	}
	*flags = 0;
	if (l->nshm == UL_MAX_SHM) {
		pv_err_set(err, PV_ERR_INTERNAL, "machine: too many shared areas");
		return NULL;
	}
	p = shm_new(len, &fd, err);
	if (!p)
		return NULL;
	l->shm[l->nshm].p = p;
	l->shm[l->nshm].len = len;
	l->shm[l->nshm].fd = fd;
	l->nshm++;
	return p;
}

/* ---- the UV's side --------------------------------------------------------- */

struct ul_srv {
	struct pv_uv *uv;
	int fd;
	uint8_t *scratch;
	uint64_t scratch_len;
	struct {
		void *p;
		uint64_t len;
	} maps[UL_MAX_SHM + 1];
	unsigned int nmaps;
	uint64_t mapped_end;		/* end of the highest mapped region */
	uint64_t pend_addr, pend_len;	/* coalesced NOTIFY */
	bool broken;
	struct ul_msg in, out, x;	/* x: answers to XLATE */
	/* the last XLATE answer, valid during one request (ul_xlate_run) */
	uint64_t xl_cpu, xl_laddr, xl_gabs, xl_pages;
};

static void srv_flush_notify(struct ul_srv *s)
{
	struct ul_msg n = { .op = UL_NOTIFY };

	if (!s->pend_len || s->broken)
		return;
	n.a = s->pend_addr;
	n.b = s->pend_len;
	s->pend_len = 0;
	if (ul_send(s->fd, &n, -1))
		s->broken = true;
}

static void srv_notify(void *opaque, uint64_t haddr, uint64_t len)
{
	struct ul_srv *s = opaque;

	if (s->pend_len && s->pend_addr + s->pend_len == haddr) {
		s->pend_len += len;
		return;
	}
	srv_flush_notify(s);
	s->pend_addr = haddr;
	s->pend_len = len;
}

static int srv_xlate(void *opaque, uint64_t cpu, uint64_t laddr,
		     uint64_t *gabs)
{
	struct ul_srv *s = opaque;
	struct ul_msg q = { .op = UL_XLATE, .a = cpu, .b = laddr };
	struct ul_msg *r = &s->x;
	uint64_t page = laddr & ~(uint64_t)(PV_PAGE_SIZE - 1);

	if (s->xl_pages && cpu == s->xl_cpu && page >= s->xl_laddr &&
	    (page - s->xl_laddr) / PV_PAGE_SIZE < s->xl_pages) {
		*gabs = s->xl_gabs + (laddr - s->xl_laddr);
		return 0;
	}
	srv_flush_notify(s);
	if (s->broken || ul_send(s->fd, &q, -1) ||
	    ul_recv(s->fd, r, NULL, true) != 1 || r->op != UL_XLATE_REPLY) {
		s->broken = true;
		return PV_PGM_ADDRESSING;
	}
	*gabs = r->a;
	if (!r->rc && r->b) {
		s->xl_cpu = cpu;
		s->xl_laddr = page;
		s->xl_gabs = r->a & ~(uint64_t)(PV_PAGE_SIZE - 1);
		s->xl_pages = r->b;
	}
	return (int)r->rc;
}

static int srv_map(struct ul_srv *s, int pfd, struct ul_msg *o)
{
	struct pv_err *e = NULL;
	void *p;
	int rc;

	if (pfd < 0 || s->nmaps == UL_MAX_SHM + 1 || !s->in.b)
		return -PV_ERR_INVAL;
	p = mmap(NULL, s->in.b, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_NORESERVE, pfd, 0);
	if (p == MAP_FAILED)
		return -PV_ERR_NOMEM;
	if (s->in.op == UL_SCRATCH) {
		s->scratch = p;
		s->scratch_len = s->in.a = s->in.b;
	} else {
		/* Shared memory: zeroing frees its store (MADV_REMOVE). */
		rc = pv_uv_map_host_flags(s->uv, s->in.a, p, s->in.b,
					  ((unsigned int)s->in.c &
					   ~PV_UV_MAP_ANON) | PV_UV_MAP_SHMEM,
					  &e);
		if (rc) {
			o->len = (uint32_t)snprintf((char *)o->payload,
						    UL_MAX_PAYLOAD, "%s",
						    e ? e->msg : "map failed");
			pv_err_free(e);
			munmap(p, s->in.b);
			return rc;
		}
		if (s->in.a + s->in.b > s->mapped_end)
			s->mapped_end = s->in.a + s->in.b;
	}
	s->maps[s->nmaps].p = p;
	s->maps[s->nmaps].len = s->in.b;
	s->nmaps++;
	return 0;
}

static void srv_one(struct ul_srv *s, int pfd)
{
	struct ul_msg *q = &s->in, *o = &s->out;
	uint16_t pgm = 0, reason = 0;
	struct pv_uv_stats st;
	bool scratch_ok = s->scratch && q->b <= s->scratch_len;
	size_t done = 0;

	memset(o, 0, UL_HDR);
	o->op = UL_REPLY;
	s->xl_pages = 0;	/* translations hold for one request only */
	switch (q->op) {
	case UL_SCRATCH:
		q->b = q->a;
		/* fall through */
	case UL_MAP:
		o->rc = srv_map(s, pfd, o);
		pfd = -1;
		break;
	case UL_CALL:
	case UL_GUEST_CALL:
		o->rc = q->op == UL_CALL ?
			pv_uv_call(s->uv, q->payload, q->len, &pgm) :
			pv_uv_guest_call(s->uv, q->a, q->payload, q->len,
					 q->b != 0, &pgm);
		o->a = pgm;
		o->len = q->len;
		memcpy(o->payload, q->payload, q->len);
		break;
	case UL_CALL_MANY:
		if (!q->a || q->b > UL_MAX_PAYLOAD / q->a ||
		    q->len != q->a * q->b) {
			s->broken = true;
			break;
		}
		o->rc = pv_uv_call_many(s->uv, q->payload, q->a, q->b, &done,
					&pgm);
		o->a = pgm;
		o->b = done;
		o->len = q->len;
		memcpy(o->payload, q->payload, q->len);
		break;
	case UL_HOST_READ:
		o->rc = scratch_ok ? pv_uv_host_read(s->uv, q->a, s->scratch,
						     q->b) :
				     PV_PGM_ADDRESSING;
		break;
	case UL_HOST_WRITE:
		o->rc = scratch_ok ? pv_uv_host_write(s->uv, q->a, s->scratch,
						      q->b) :
				     PV_PGM_ADDRESSING;
		break;
	case UL_PAGE_STATE:
		o->rc = pv_uv_page_state(s->uv, q->a);
		break;
	case UL_START_PSW:
		o->rc = pv_uv_cpu_start_psw(s->uv, q->a, &o->a, &o->b);
		break;
	case UL_RESET_REQ:
		o->rc = pv_uv_guest_reset_request(s->uv, q->a, q->b != 0);
		break;
	case UL_SIE_ENTRY:
		o->rc = pv_uv_sie_entry(s->uv, q->a, q->b, &reason);
		o->a = reason;
		break;
	case UL_NEXT_SECURE:
		/* no page beyond the mapped memory stops a sweep: a range
		 * the other side made up costs no more than the memory */
		o->a = sweep(s->uv, q->a,
			     q->b < s->mapped_end ? q->b : s->mapped_end,
			     q->c != 0);
		if (o->a >= s->mapped_end)
			o->a = q->b;
		break;
	case UL_STATS:
		pv_uv_get_stats(s->uv, &st);
		o->len = sizeof(st);
		memcpy(o->payload, &st, sizeof(st));
		break;
	default:
		s->broken = true;
		break;
	}
	if (pfd >= 0)
		close(pfd);
	/* the pending NOTIFY rides on the reply: one message less a page */
	o->nt_addr = s->pend_addr;
	o->nt_len = s->pend_len;
	s->pend_len = 0;
	if (!s->broken && ul_send(s->fd, o, -1))
		s->broken = true;
}

int pv_machine_uv_serve(struct pv_uv *uv, int fd, struct pv_err **err)
{
	struct ul_srv *s = calloc(1, sizeof(*s));
	int rc = 0, pfd, got;
	uint64_t last = 0;

	if (!s)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	s->uv = uv;
	s->fd = fd;
	pv_uv_set_notify(uv, srv_notify, s);
	pv_uv_set_guest_xlate(uv, srv_xlate, s);
	while (!s->broken) {
		/*
		 * In a burst of requests (a guest sharing its bounce buffers
		 * page by page) the next one is near: look for it before
		 * sleeping, as a waiting client does for its reply.
		 */
		got = ul_recv(fd, &s->in, &pfd,
			      last && ul_now_ns() - last < UL_BURST_NS);
		last = ul_now_ns();
		if (got == 0)
			break;		/* the machine closed its end */
		if (got < 0) {
			rc = pv_err_set(err, PV_ERR_IO,
					"the machine sent a malformed UV request");
			break;
		}
		srv_one(s, pfd);
	}
	pv_uv_set_notify(uv, NULL, NULL);
	pv_uv_set_guest_xlate(uv, NULL, NULL);
	for (unsigned int i = 0; i < s->nmaps; i++)
		munmap(s->maps[i].p, s->maps[i].len);
	free(s);
	return rc;
}
