/*
 * lab_setup.h - the steps that set a connection up (src/lab_setup.c), for
 * the table of steps in src/lab_steps.c. Each runs on row p and writes
 * its result into r.
 */
#ifndef TCPSTEP_LAB_SETUP_H
#define TCPSTEP_LAB_SETUP_H

#include "lab.h"

void	 lab_setup_server_create(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);
void	 lab_setup_listen(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);
void	 lab_setup_client_create(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);
void	 lab_setup_new_client(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);
void	 lab_setup_connect(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);
void	 lab_setup_accept(struct lab *lab, struct lab_sock *p,
	     struct lab_result *r);

#endif
