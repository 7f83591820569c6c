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
void h_survey_step(struct ctx *c);	/* GET  /s/ID/p?n=N    page N of the draft */
void h_survey_check(struct ctx *c);	/* GET  /s/ID/check    check the draft's answers */
void h_survey_saved(struct ctx *c);	/* GET  /s/ID/saved    the draft's resume code */
void h_survey_resume(struct ctx *c);	/* GET  /s/ID/resume   type a resume code */
void h_survey_resume_post(struct ctx *c); /* POST /s/ID/resume open the draft it names */
void h_staff_login(struct ctx *c);	/* GET  /staff/login   sign-in form */
void h_staff_login_post(struct ctx *c);	/* POST /staff/login   sign in */
void h_staff_logout(struct ctx *c);	/* POST /staff/logout  sign out */
void h_staff_home(struct ctx *c);	/* GET  /staff         who you are, what you can use */
void h_staff_users(struct ctx *c);	/* GET  /staff/users   accounts (admin) */
void h_staff_users_post(struct ctx *c);	/* POST /staff/users   create or disable an account */
void h_life_survey(struct ctx *c);	/* GET  /staff/surveys/ID  a survey's state, close/reopen */
void h_life_survey_post(struct ctx *c);	/* POST /staff/surveys/ID  close or reopen (admin) */
void h_staff_account(struct ctx *c);	/* GET  /staff/account own password and sessions */
void h_staff_account_post(struct ctx *c); /* POST /staff/account change password, sign out everywhere */
void h_staff_user(struct ctx *c);	/* GET  /staff/user?name=N  one account (admin) */
void h_staff_user_post(struct ctx *c);	/* POST /staff/user    reset, disable, enable, role, sign out */
void h_staff_reset(struct ctx *c);	/* GET  /staff/reset   set a password with a reset code */
void h_staff_reset_post(struct ctx *c);	/* POST /staff/reset */
void h_poll_join(struct ctx *c);	/* GET  /j             type a join code */
void h_poll_page(struct ctx *c);	/* GET  /j/CODE        the participant's page */
void h_poll_post(struct ctx *c);	/* POST /j/CODE        a vote or a statement */
void h_poll_state(struct ctx *c);	/* GET  /j/CODE/state  JSON the phone follows */
void h_poll_list(struct ctx *c);	/* GET  /staff/polls   sessions, start one */
void h_poll_start(struct ctx *c);	/* POST /staff/polls   start a session */
void h_poll_console(struct ctx *c);	/* GET  /staff/polls/ID  the facilitator's console */
void h_poll_action(struct ctx *c);	/* POST /staff/polls/ID  next, lock, show, end ... */
void h_poll_present(struct ctx *c);	/* GET  /staff/polls/ID/present  for the projector */
void h_poll_live(struct ctx *c);	/* GET  /staff/polls/ID/live     live JSON */
void h_poll_export_json(struct ctx *c);	/* GET  /staff/polls/ID/export.json */
void h_poll_export_csv(struct ctx *c);	/* GET  /staff/polls/ID/export.csv */
void h_links(struct ctx *c);		/* GET  /staff/surveys/ID/links  a link per channel */
void h_links_poster(struct ctx *c);	/* GET  /staff/surveys/ID/poster?c=CH  A4 poster */
void h_links_qr(struct ctx *c);		/* GET  /staff/surveys/ID/qr.svg?c=CH  the QR code */
void h_entry(struct ctx *c);		/* GET  /staff/surveys/ID/enter  paper and stall entry */
void h_entry_post(struct ctx *c);	/* POST /staff/surveys/ID/enter  save one, go on */
void h_dash_page(struct ctx *c);	/* GET  /staff/surveys/ID/dashboard  live, suppressed */
void h_dl_page(struct ctx *c);		/* GET  /staff/surveys/ID/downloads  the analysts' files */
void h_results_page(struct ctx *c);	/* GET  /r/ID  a survey's published results */
void h_results_admin(struct ctx *c);	/* GET  /staff/surveys/ID/results  make that page */
void h_results_admin_post(struct ctx *c); /* POST /staff/surveys/ID/results  upload, publish, entries */
void h_results_preview(struct ctx *c);	/* GET  /staff/surveys/ID/results/preview */
void h_dl_xlsx(struct ctx *c);		/* GET  /staff/surveys/ID/findings.xlsx */
void h_dl_csv(struct ctx *c);		/* GET  /staff/surveys/ID/findings.csv */
void h_dl_dict(struct ctx *c);		/* GET  /staff/surveys/ID/dictionary.csv */
void h_dl_html(struct ctx *c);		/* GET  /staff/surveys/ID/findings.html */
#endif
