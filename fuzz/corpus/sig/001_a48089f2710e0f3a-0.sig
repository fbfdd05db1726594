pmkb-sig	1
bugcheck	0xd1	\N
args	\N	\N	\N	\N
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	0xd1
end	0	0	0
