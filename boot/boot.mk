# SPDX-License-Identifier: MIT
# pvboot's own s390x boot code (included by the top Makefile).
#
# Cross-builds stage3a, stage3b_reloc and the test kernel into
# $(BUILD)/boot/*.bin (+ .elf and .map) and embeds them into libpvboot via
# $(BUILD)/gen/boot_blobs.c (tools/bin2c).  `make boot` builds the blobs.
#
# Reusable by other freestanding s390x programs (tests/guest):
#   BOOT_CC, BOOT_CFLAGS      compiler and flags (includes -Iboot/lib -Iinclude)
#   BOOT_LDFLAGS              link flags (add -T your.lds)
#   BOOT_LIB_SRCS             boot/lib sources (libboot.h is the API)
#   BOOT_LIB_A                the same, prebuilt: $(BUILD)/boot/libboot.a
#   BOOT_OBJCOPY              for `-O binary`
#   BOOT_LDS_CPP              preprocess a .lds.S (e.g. to use layout.h)

BOOT_CROSS ?= s390x-linux-gnu-
BOOT_CC := $(BOOT_CROSS)gcc
BOOT_OBJCOPY := $(BOOT_CROSS)objcopy
BOOT_AR := $(BOOT_CROSS)ar
BOOT_HOSTCC ?= $(CC)

BOOT_CFLAGS := -m64 -march=z10 -O2 -std=gnu11 -Wall -Wextra \
	-ffreestanding -nostdlib -fno-pic -fno-pie -fno-stack-protector \
	-static -fno-common -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-delete-null-pointer-checks -fno-tree-loop-distribute-patterns \
	-msoft-float -ffunction-sections -fdata-sections \
	--param=min-pagesize=0 -Iboot/lib -Iinclude
BOOT_LDFLAGS := -m64 -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--gc-sections -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack
BOOT_LDS_CPP := $(BOOT_CC) -E -P -undef -x c -Iboot/lib -Iinclude

BOOT_DIR := $(BUILD)/boot
BOOT_LIB_SRCS := $(sort $(wildcard boot/lib/*.c boot/lib/*.S))
BOOT_LIB_A := $(BOOT_DIR)/libboot.a

# boot/X/y.c or .S -> $(BUILD)/boot/obj/X/y.o (linker scripts are .lds.S)
boot_objs = $(patsubst boot/%,$(BOOT_DIR)/obj/%.o,\
	$(basename $(filter-out %.lds.S,$(1))))

BOOT_LIB_OBJS := $(call boot_objs,$(BOOT_LIB_SRCS))
STAGE3A_OBJS := $(call boot_objs,$(sort $(wildcard boot/stage3a/*.S boot/stage3a/*.c)))
STAGE3B_OBJS := $(call boot_objs,$(sort $(filter-out boot/stage3b/reloc.S,\
	$(wildcard boot/stage3b/*.S boot/stage3b/*.c))))
RELOC_OBJ := $(BOOT_DIR)/obj/stage3b/reloc.o
TK_OBJS := $(call boot_objs,$(sort $(wildcard boot/testkernel/*.S boot/testkernel/*.c)))

BOOT_BINS := $(BOOT_DIR)/stage3a.bin $(BOOT_DIR)/stage3b_reloc.bin \
	$(BOOT_DIR)/testkernel.bin
BOOT_BLOBS_C := $(BUILD)/gen/boot_blobs.c
BOOT_GEN_SRCS += $(BOOT_BLOBS_C)

.PHONY: boot
boot: $(BOOT_BINS)

$(BOOT_DIR)/obj/%.o: boot/%.c boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -MMD -MP -c -o $@ $<

$(BOOT_DIR)/obj/%.o: boot/%.S boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -MMD -MP -c -o $@ $<

# The relocator includes the stage3b binary (.incbin).
$(RELOC_OBJ): boot/stage3b/reloc.S $(BOOT_DIR)/stage3b.bin boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -Wa,-I$(BOOT_DIR) -MMD -MP -c -o $@ $<

$(BOOT_LIB_A): $(BOOT_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(BOOT_AR) rcs $@ $^

$(BOOT_DIR)/%.lds: boot/stage3a/%.lds.S boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_LDS_CPP) -MMD -MP -MT $@ -o $@ $<

$(BOOT_DIR)/%.lds: boot/stage3b/%.lds.S boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_LDS_CPP) -MMD -MP -MT $@ -o $@ $<

$(BOOT_DIR)/%.lds: boot/testkernel/%.lds.S boot/boot.mk
	@mkdir -p $(dir $@)
	$(BOOT_LDS_CPP) -MMD -MP -MT $@ -o $@ $<

# boot_link: $(1) = output elf, $(2) = linker script, $(3) = inputs
boot_link = $(BOOT_CC) $(BOOT_LDFLAGS) -T $(2) \
	-Wl,-Map,$(basename $(1)).map -o $(1) $(3)

$(BOOT_DIR)/stage3a.elf: $(STAGE3A_OBJS) $(BOOT_LIB_A) $(BOOT_DIR)/stage3a.lds
	$(call boot_link,$@,$(BOOT_DIR)/stage3a.lds,$(STAGE3A_OBJS) $(BOOT_LIB_A))

$(BOOT_DIR)/stage3b.elf: $(STAGE3B_OBJS) $(BOOT_LIB_A) $(BOOT_DIR)/stage3b.lds
	$(call boot_link,$@,$(BOOT_DIR)/stage3b.lds,$(STAGE3B_OBJS) $(BOOT_LIB_A))

$(BOOT_DIR)/stage3b_reloc.elf: $(RELOC_OBJ) $(BOOT_DIR)/reloc.lds
	$(call boot_link,$@,$(BOOT_DIR)/reloc.lds,$(RELOC_OBJ))

$(BOOT_DIR)/testkernel.elf: $(TK_OBJS) $(BOOT_LIB_A) $(BOOT_DIR)/testkernel.lds
	$(call boot_link,$@,$(BOOT_DIR)/testkernel.lds,$(TK_OBJS) $(BOOT_LIB_A))

$(BOOT_DIR)/%.bin: $(BOOT_DIR)/%.elf
	$(BOOT_OBJCOPY) -O binary $< $@

$(BUILD)/tools/bin2c: tools/bin2c.c
	@mkdir -p $(dir $@)
	$(BOOT_HOSTCC) -O2 -std=gnu11 -Wall -Wextra -o $@ $<

$(BOOT_BLOBS_C): $(BUILD)/tools/bin2c $(BOOT_BINS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/bin2c $@ \
		pv_blob_stage3a=$(BOOT_DIR)/stage3a.bin \
		pv_blob_stage3b_reloc=$(BOOT_DIR)/stage3b_reloc.bin \
		pv_blob_testkernel=$(BOOT_DIR)/testkernel.bin

-include $(wildcard $(BOOT_DIR)/obj/*/*.d $(BOOT_DIR)/*.d)

# The test kernel must end below 0x14000 (boot/lib/layout.h): its own code
# and the attestation/secret helpers of boot/lib are built for size.
$(TK_OBJS) $(BOOT_DIR)/obj/lib/base64.o $(BOOT_DIR)/obj/lib/sclp_input.o \
$(BOOT_DIR)/obj/lib/uv_pv.o: BOOT_CFLAGS += -Os
