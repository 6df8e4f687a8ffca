# s390x boot code: placeholder until the loaders land.
.PHONY: boot
boot:
