# SPDX-License-Identifier: MIT
# The compute benchmark guest (bench/mips.sh), included by
# tests/guest/guest.mk: $(BUILD)/guest/compute.bin from
# tests/guest/compute/*.{c,S} and libboot, laid out by gt.lds.  It is not a
# catalogue program (those are tests/guest/*.c).  `make compute-guest`.

COMPUTE_SRCS := $(sort $(wildcard tests/guest/compute/*.c tests/guest/compute/*.S))
COMPUTE_OBJS := $(patsubst tests/guest/compute/%,$(GUEST_DIR)/obj/compute/%.o,\
	$(basename $(COMPUTE_SRCS)))
COMPUTE_BIN := $(GUEST_DIR)/compute.bin

.PHONY: compute-guest
compute-guest: $(COMPUTE_BIN)

$(GUEST_DIR)/obj/compute/%.o: tests/guest/compute/%.c tests/guest/compute/compute.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_DIR)/obj/compute/%.o: tests/guest/compute/%.S tests/guest/compute/compute.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_DIR)/compute.elf: $(COMPUTE_OBJS) $(BOOT_LIB_A) $(GUEST_DIR)/gt.lds
	$(BOOT_CC) $(BOOT_LDFLAGS) -T $(GUEST_DIR)/gt.lds \
		-Wl,-Map,$(basename $@).map -o $@ $(COMPUTE_OBJS) $(BOOT_LIB_A)

-include $(wildcard $(GUEST_DIR)/obj/compute/*.d)
