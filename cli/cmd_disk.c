// SPDX-License-Identifier: MIT
/*
 * `pvboot disk`: write a raw disk image that IPLs an SE image the way a
 * zipl-installed SCSI or virtio-blk disk does (pvboot/disk.h), or list
 * the programs behind the zipl boot record of a disk.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pvboot/disk.h"
#include "pvboot/machine.h"
#include "util.h"

enum {
	OPT_DATA = 256,
	OPT_STAGE3,
	OPT_SIZE,
	OPT_OVERWRITE,
	OPT_LIST,
	OPT_JSON,
};

struct disk_args {
	struct pv_disk_opts o;
	const char *out, *list;
	bool json, quiet;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot disk IMAGE -o DISK [--data FILE] [--stage3 FILE] [--size SIZE]\n"
"                  [--overwrite] [-q]\n"
"       pvboot disk --list DISK [--json]\n"
"Write DISK, a raw disk image whose zipl SCSI boot record IPLs IMAGE (a\n"
"Secure Execution image) through QEMU's s390-ccw bios or IBM firmware, as a\n"
"disk prepared by zipl does; or list the programs behind the boot record of\n"
"a disk.\n"
"\n"
"  -o, --output DISK    the disk image to write (atomically)\n"
"      --data FILE      put FILE (e.g. an ext4 image made by mke2fs) on the\n"
"                       disk as partition 1 of a DOS partition table\n"
"      --stage3 FILE    zipl's stage3.bin (s390-tools): write zipl's own\n"
"                       program layout (stage3 at 0xA000 loads IMAGE);\n"
"                       without it the bios starts IMAGE directly\n"
"      --size SIZE      make the disk at least SIZE bytes (e.g. 1G; sparse)\n"
"      --overwrite      replace an existing DISK\n"
"      --list DISK      show the boot record, programs and components of DISK\n"
"      --json           with --list: one JSON object on stdout\n"
"  -q, --quiet          print nothing on success\n"
"  -h, --help           show this help\n"
"\n"
"Examples:\n"
"  pvboot disk se.img -o disk.img\n"
"  pvboot disk se.img -o disk.img --data fs.img --size 1G\n"
"  pvboot disk --list disk.img\n"
"Boot it with pvboot run and its disk option, see pvboot-run(1).\n"
"Exit status: 0 success, 1 error (nothing written), 2 usage error.\n"
"See the manual page pvboot-disk(1).\n");
}

static int parse(struct disk_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "data", required_argument, NULL, OPT_DATA },
		{ "stage3", required_argument, NULL, OPT_STAGE3 },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
		{ "list", required_argument, NULL, OPT_LIST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pv_err *err = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case OPT_DATA:
			a->o.data = optarg;
			break;
		case OPT_STAGE3:
			a->o.stage3 = optarg;
			break;
		case OPT_SIZE:
			if (pv_parse_size(optarg, &a->o.size, &err)) {
				pv_err_free(err);
				return pv_cli_usage_error("disk",
							  "invalid size '%s' (e.g. 512M or 2G)",
							  optarg);
			}
			break;
		case OPT_OVERWRITE:
			a->o.overwrite = true;
			break;
		case OPT_LIST:
			a->list = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error("disk", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option("disk", argv[optind - 1], lo);
		}
	}
	if (a->list) {
		if (optind != argc || a->out || a->o.data || a->o.stage3 ||
		    a->o.size)
			return pv_cli_usage_error("disk",
						  "--list DISK takes no image and no other option but --json");
		return -1;
	}
	if (a->json)
		return pv_cli_usage_error("disk", "--json goes with --list");
	if (optind != argc - 1)
		return pv_cli_usage_error("disk", optind < argc ?
					  "give exactly one IMAGE" :
					  "the IMAGE is missing");
	if (!a->out)
		return pv_cli_usage_error("disk", "the output disk (-o DISK) is missing");
	a->o.image = argv[optind];
	return -1;
}

static const char *comp_name(uint8_t type)
{
	switch (type) {
	case PV_DISK_COMP_EXEC:
		return "exec";
	case PV_DISK_COMP_LOAD:
		return "load";
	case PV_DISK_COMP_SIGNATURE:
		return "signature";
	default:
		return "unknown";
	}
}

static void list_text(const char *path, const struct pv_disk_info *d)
{
	printf("disk %s: %llu bytes, zipl SCSI boot record, program table at block %llu\n",
	       path, (unsigned long long)d->size,
	       (unsigned long long)d->program_table);
	if (d->dos_table)
		printf("DOS partition 1: blocks %llu-%llu\n",
		       (unsigned long long)d->part_start,
		       (unsigned long long)(d->part_start + d->part_blocks -
					    (d->part_blocks ? 1 : 0)));
	for (unsigned int i = 0; i < d->nprog; i++) {
		const struct pv_disk_program *p = &d->prog[i];

		printf("program %u (%s):\n", p->index,
		       p->header_type ? "dump" : "IPL");
		for (unsigned int k = 0; k < p->ncomp; k++) {
			const struct pv_disk_component *c = &p->comp[k];

			if (c->type == PV_DISK_COMP_EXEC)
				printf("  exec  PSW %016llx\n",
				       (unsigned long long)c->value);
			else
				printf("  %-5s 0x%08llx  %llu bytes in %u segment%s\n",
				       comp_name(c->type),
				       (unsigned long long)c->value,
				       (unsigned long long)c->bytes,
				       c->segments, c->segments == 1 ? "" : "s");
		}
	}
}

static void list_json(const char *path, const struct pv_disk_info *d)
{
	struct json j;

	json_begin(&j, stdout, false);
	json_str(&j, "disk", path);
	json_u64(&j, "size", d->size);
	json_u64(&j, "program_table", d->program_table);
	json_bool(&j, "dos_table", d->dos_table);
	json_u64(&j, "partition_start", d->part_start);
	json_u64(&j, "partition_blocks", d->part_blocks);
	json_arr(&j, "programs");
	for (unsigned int i = 0; i < d->nprog; i++) {
		const struct pv_disk_program *p = &d->prog[i];

		json_obj(&j, NULL);
		json_u64(&j, "index", p->index);
		json_str(&j, "type", p->header_type ? "dump" : "ipl");
		json_arr(&j, "components");
		for (unsigned int k = 0; k < p->ncomp; k++) {
			json_obj(&j, NULL);
			json_str(&j, "type", comp_name(p->comp[k].type));
			json_hex64(&j, p->comp[k].type == PV_DISK_COMP_EXEC ?
				   "psw" : "address", p->comp[k].value);
			json_u64(&j, "bytes", p->comp[k].bytes);
			json_u64(&j, "segments", p->comp[k].segments);
			json_close_obj(&j);
		}
		json_close_arr(&j);
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_end(&j);
}

static int run_disk(int argc, char **argv)
{
	struct disk_args a = { 0 };
	struct pv_disk_layout lay;
	struct pv_disk_info *info;
	struct pv_err *err = NULL;
	int rc = parse(&a, argc, argv);

	if (rc >= 0)
		return rc;
	if (a.list) {
		info = calloc(1, sizeof(*info));
		if (!info)
			return pv_cli_fail(NULL);
		if (pv_disk_inspect(a.list, info, &err)) {
			free(info);
			return pv_cli_fail(err);
		}
		if (a.json)
			list_json(a.list, info);
		else
			list_text(a.list, info);
		free(info);
		return PV_EXIT_OK;
	}
	if (pv_disk_write(&a.o, a.out, &lay, &err))
		return pv_cli_fail(err);
	if (!a.quiet) {
		printf("%s: %llu bytes; %s program, image 0x%llx bytes at 0x%llx, EXEC PSW %016llx\n",
		       a.out, (unsigned long long)lay.disk_size,
		       a.o.stage3 ? "zipl (stage3)" : "direct",
		       (unsigned long long)lay.image_bytes,
		       (unsigned long long)lay.image_load,
		       (unsigned long long)lay.exec_psw);
		printf("  bootmap: blocks %llu-%llu, program table at %llu\n",
		       (unsigned long long)lay.bootmap_start,
		       (unsigned long long)(lay.bootmap_start +
					    lay.bootmap_blocks - 1),
		       (unsigned long long)lay.program_table);
		if (lay.data_blocks)
			printf("  partition 1: blocks %llu-%llu (%s)\n",
			       (unsigned long long)lay.data_start,
			       (unsigned long long)(lay.data_start +
						    lay.data_blocks - 1),
			       a.o.data);
	}
	return PV_EXIT_OK;
}

PV_COMMAND(disk, "write a disk image that IPLs an SE image (zipl format)",
	   run_disk, 65);
