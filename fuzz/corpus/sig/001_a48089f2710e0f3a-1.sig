pmkb-sig	1
bugcheck	0x50	PAGE_FAULT_IN_NONPAGED_AREA
args	0xffffffffffffffe8	0x0	0xfffff8057b5694fd	0x2
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	0x50
end	0	0	0
