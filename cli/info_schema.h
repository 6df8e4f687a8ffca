/* SPDX-License-Identifier: MIT */
/* JSON Schema of `pvboot info --format json` (schema/info.schema.json). */
#ifndef PVBOOT_CLI_INFO_SCHEMA_H
#define PVBOOT_CLI_INFO_SCHEMA_H

extern const char pv_info_schema[];

#endif
