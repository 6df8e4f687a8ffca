# SPDX-License-Identifier: MIT
# Guest test programs (included by the top Makefile after boot/boot.mk):
# every tests/guest/*.c is one freestanding s390x program, linked with
# tests/guest/lib and boot/lib into $(BUILD)/guest/NAME.bin (file offset ==
# address, short IPL PSW at 0).  The machine's catalogue test runs them.

GUEST_DIR := $(BUILD)/guest
GUEST_CFLAGS = $(BOOT_CFLAGS) -Itests/guest/lib
GUEST_LIB_SRCS := $(sort $(filter-out %.lds.S,\
	$(wildcard tests/guest/lib/*.c tests/guest/lib/*.S)))
GUEST_LIB_OBJS := $(patsubst tests/guest/lib/%,$(GUEST_DIR)/obj/lib/%.o,\
	$(basename $(GUEST_LIB_SRCS)))
GUEST_PROGS := $(sort $(basename $(notdir $(wildcard tests/guest/*.c))))
GUEST_BINS := $(GUEST_PROGS:%=$(GUEST_DIR)/%.bin)

.PHONY: guest
guest: $(GUEST_BINS)

$(GUEST_DIR)/obj/lib/%.o: tests/guest/lib/%.c tests/guest/guest.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_DIR)/obj/lib/%.o: tests/guest/lib/%.S tests/guest/guest.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_DIR)/obj/%.o: tests/guest/%.c tests/guest/guest.mk
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_DIR)/gt.lds: tests/guest/lib/gt.lds.S tests/guest/guest.mk
	@mkdir -p $(dir $@)
	$(BOOT_LDS_CPP) -MMD -MP -MT $@ -o $@ $<

$(GUEST_DIR)/%.elf: $(GUEST_DIR)/obj/%.o $(GUEST_LIB_OBJS) $(BOOT_LIB_A) \
		$(GUEST_DIR)/gt.lds
	$(BOOT_CC) $(BOOT_LDFLAGS) -T $(GUEST_DIR)/gt.lds \
		-Wl,-Map,$(basename $@).map -o $@ $< $(GUEST_LIB_OBJS) \
		$(BOOT_LIB_A)

$(GUEST_DIR)/%.bin: $(GUEST_DIR)/%.elf
	$(BOOT_OBJCOPY) -O binary $< $@

# The machine tests load the programs from $(BUILD)/guest at run time.
$(BUILD)/tests/test_machine $(BUILD)/tests/test_machine_catalogue: \
	$(GUEST_BINS)

-include $(wildcard $(GUEST_DIR)/obj/*.d $(GUEST_DIR)/obj/lib/*.d \
	$(GUEST_DIR)/*.d)

# The compute benchmark guest (not a catalogue program).
-include tests/guest/compute/compute.mk
