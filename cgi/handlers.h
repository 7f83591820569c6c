/* handlers: every page of the app, named for what it serves.  Each runs only
 * after the router checked what its table row promised. */
#ifndef HANDLERS_H
#define HANDLERS_H
#include "app.h"

void h_health(struct ctx *c);
void h_home(struct ctx *c);
void h_survey_start(struct ctx *c);	/* GET  /s/ID          start page */
void h_survey_post(struct ctx *c);	/* POST /s/ID          every step of the form */
void h_survey_done(struct ctx *c);	/* GET  /s/ID/done     confirmation */
void h_survey_privacy(struct ctx *c);	/* GET  /s/ID/privacy  what is and is not stored */
#endif
