pmkb-sig	1
bugcheck	0xd1	X_NAME
args	\N	\N	\N	\N
process	system
image	npf
os_build	\N
failure_bucket	\N
text	0xd1 | image:npf | third-party:npf,vwifimf
module	npf	1
module	vwifimf	1
pool	Filt	vwifimf
end	0	2	1
