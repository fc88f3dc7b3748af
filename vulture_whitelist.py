"""What vulture (the dead-code finder) cannot see used: names read by Django, templates or other tools.

Run from the repository root; it prints nothing and exits 0 when nothing is dead:

    .venv/bin/vulture kizuna vulture_whitelist.py --exclude "*/tests/*,*/migrations/*,kizuna/settings.py" \
        --ignore-decorators "@router.*,@register.*,@register,@admin.register,@receiver" \
        --ignore-names "Meta,clean_*,add_arguments,has_*_permission,label_from_instance,*Config,*Admin"

A name vulture reports that something reads by name (a template, a hook) belongs here; anything else it
reports is dead: delete it.
"""

# ruff: noqa

# --- Django, its admin and its URL conf read these by name
_.handler400  # variable, kizuna/urls.py: Django's error handlers, named in the URL conf
_.handler403  # variable, kizuna/urls.py
_.handler404  # variable, kizuna/urls.py
_.handler500  # variable, kizuna/urls.py
_.handler429  # variable, kizuna/urls.py: allauth's rate limit reads it
_.bad_request  # function, kizuna/ops/error_pages.py: named by handler400 (a dotted path)
_.permission_denied  # function, kizuna/ops/error_pages.py: handler403
_.page_not_found  # function, kizuna/ops/error_pages.py: handler404
_.server_error  # function, kizuna/ops/error_pages.py: handler500
_.too_many_requests  # function, kizuna/ops/error_pages.py: handler429
_.csrf_failure  # function, kizuna/ops/error_pages.py: CSRF_FAILURE_VIEW
_.MethodNotAllowedMiddleware  # class, kizuna/ops/error_pages.py: in MIDDLEWARE
_.add_fieldsets  # variable, kizuna/accounts/admin.py
_.add_form  # variable, kizuna/accounts/admin.py
_.fieldsets  # variable, kizuna/accounts/admin.py
_.list_display  # variable, kizuna/accounts/admin.py
_.list_filter  # variable, kizuna/accounts/admin.py
_.ordering  # variable, kizuna/accounts/admin.py
_.readonly_fields  # variable, kizuna/accounts/admin.py
_.search_fields  # variable, kizuna/accounts/admin.py
_.EMAIL_FIELD  # variable, kizuna/accounts/models.py
_.REQUIRED_FIELDS  # variable, kizuna/accounts/models.py
_.use_in_migrations  # variable, kizuna/accounts/models.py
_.USERNAME_FIELD  # variable, kizuna/accounts/models.py
_.verbose_name  # variable, kizuna/accounts/models.py
_.urlpatterns  # variable, kizuna/accounts/urls.py
_.help_texts  # variable, kizuna/agreements/forms.py
_.widgets  # variable, kizuna/agreements/forms.py
_.help  # variable, kizuna/agreements/management/commands/agreements_monthly_report.py
_.constraints  # variable, kizuna/agreements/models.py
_.indexes  # variable, kizuna/agreements/models.py
_.field_order  # variable, kizuna/assessments/forms.py
_.template_name  # attribute, kizuna/assessments/forms.py
_.graded_by_id  # attribute, kizuna/assessments/projections.py: a foreign key's column, saved by Django
_.option_template_name  # attribute, kizuna/media/forms.py (Django renders the radio options with it)
_.date_hierarchy  # variable, kizuna/catalog/admin.py
_.filter_horizontal  # variable, kizuna/catalog/admin.py
_.inlines  # variable, kizuna/catalog/admin.py
_.list_select_related  # variable, kizuna/catalog/admin.py
_.raw_id_fields  # variable, kizuna/catalog/admin.py
_.input_type  # attribute, kizuna/community/forms.py
_.abstract  # variable, kizuna/community/models.py
_.help_text  # attribute, kizuna/gamification/forms.py

# --- Hooks that Django, allauth, Ninja or gunicorn call by name
AccountAdapter  # class, kizuna/accounts/adapter.py: allauth (settings.ACCOUNT_ADAPTER)
_.authentication_failed  # method, kizuna/accounts/adapter.py: allauth adapter hook
_.is_open_for_signup  # method, kizuna/accounts/adapter.py: allauth adapter hook
_.get_user  # method, kizuna/accounts/backends.py: auth backend hook
MembershipModelBackend  # class, kizuna/accounts/backends.py: settings.AUTHENTICATION_BACKENDS
UserLanguageMiddleware  # class, kizuna/accounts/middleware.py: settings.MIDDLEWARE
_.create_superuser  # method, kizuna/accounts/models.py: manage.py createsuperuser
_.get_full_name  # method, kizuna/accounts/models.py: Django's user API
_.get_short_name  # method, kizuna/accounts/models.py: Django's user API
_._get_key  # method, kizuna/api/auth.py: Ninja's APIKey auth hook
Input  # class, kizuna/api/endpoints.py: Ninja schema
_.add_to_form  # function, kizuna/ops/errors.py: ops.errors API for every app (issue 13)
_.message_user  # function, kizuna/ops/errors.py: ops.errors API for every app (issue 13)
_.post_fork  # function, kizuna/ops/gunicorn_conf.py: gunicorn hook (ops/gunicorn_conf.py)
_.pre_fork  # function, kizuna/ops/gunicorn_conf.py: gunicorn hook
_.preload_app  # variable, kizuna/ops/gunicorn_conf.py: gunicorn setting
_.server  # variable, kizuna/ops/gunicorn_conf.py: gunicorn hook argument
DatabaseBusyMiddleware  # class, kizuna/ops/middleware.py: settings.MIDDLEWARE
PageGZipMiddleware  # class, kizuna/ops/compression.py: settings.MIDDLEWARE
_.process_exception  # method, kizuna/ops/middleware.py: middleware hook
_.frame  # variable, kizuna/ops/worker.py: signal handler argument
_.TYPE_MODULE  # variable, kizuna/records/vocab.py: xAPI vocabulary term (shared/XAPI.md)
_.application  # variable, kizuna/wsgi.py: WSGI entry point

# --- Model fields and choices (the ORM, forms and data read them)
_.date_joined  # variable, kizuna/accounts/models.py
_.EN  # variable, kizuna/accounts/models.py
_.is_staff  # variable, kizuna/accounts/models.py
_.JA  # variable, kizuna/accounts/models.py
_.anonymized_at  # variable, kizuna/agreements/models.py
_.key_hash  # variable, kizuna/api/models.py
_.lapses  # variable, kizuna/assessments/models.py
_.last_answered_at  # variable, kizuna/assessments/models.py
_.score_sum  # variable, kizuna/assessments/models.py
_.staging_bank  # variable, kizuna/assessments/models.py
_.start_statement  # variable, kizuna/assessments/models.py
_.submit_statement  # variable, kizuna/assessments/models.py
_.x2_sum  # variable, kizuna/assessments/models.py
_.x_sum  # variable, kizuna/assessments/models.py
_.xy_sum  # variable, kizuna/assessments/models.py
_.y2_sum  # variable, kizuna/assessments/models.py
_.y_sum  # variable, kizuna/assessments/models.py
_.MICRO  # variable, kizuna/catalog/models.py
_.SURVEY  # variable, kizuna/catalog/models.py
_.delivered_at  # variable, kizuna/certification/models.py
_.duration_ms  # variable, kizuna/certification/models.py
_.CLOSED  # variable, kizuna/coaching/models.py
_.edited_by  # variable, kizuna/community/models.py
_.resolved_by  # variable, kizuna/community/models.py
_.search_tokens  # variable, kizuna/community/models.py
_.AFTER_SALE  # variable, kizuna/feedback/models.py
_.CLOSING  # variable, kizuna/feedback/models.py
_.FINANCE  # variable, kizuna/feedback/models.py
_.FIRST_CONTACT  # variable, kizuna/feedback/models.py
_.HEALTHCARE  # variable, kizuna/feedback/models.py
_.HEARING  # variable, kizuna/feedback/models.py
_.IT  # variable, kizuna/feedback/models.py
_.MANUFACTURING  # variable, kizuna/feedback/models.py
_.NEGOTIATION  # variable, kizuna/feedback/models.py
_.normalized  # variable, kizuna/feedback/models.py
_.PROPOSAL  # variable, kizuna/feedback/models.py
_.PUBLIC  # variable, kizuna/feedback/models.py
_.REAL_ESTATE  # variable, kizuna/feedback/models.py
_.RETAIL  # variable, kizuna/feedback/models.py
_.SERVICES  # variable, kizuna/feedback/models.py
_.chosen_by  # variable, kizuna/gamification/models.py
_.revoked_by  # variable, kizuna/gamification/models.py
_.courses_completed  # variable, kizuna/kpis/models.py
_.set_by  # variable, kizuna/kpis/models.py
_.added_by  # variable, kizuna/updates/models.py, kizuna/certification/models.py: who gave it to the rep (kept for audit)
_.attendance_source  # variable, kizuna/live/models.py
_.recording_course  # variable, kizuna/live/models.py
_.registered_at  # variable, kizuna/live/models.py
_.ready_at  # variable, kizuna/media/models.py
_.beat_at  # variable, kizuna/ops/models.py
_.erased_by  # variable, kizuna/privacy/models.py
_.course_version  # variable, kizuna/records/models.py
_.last_lesson  # variable, kizuna/records/models.py
_.NEXT_MEETING  # variable, kizuna/scenarios/models.py
_.score_min  # variable, kizuna/scenarios/models.py
_.score_scaled  # variable, kizuna/scenarios/models.py
_.WON  # variable, kizuna/scenarios/models.py

# --- API schema fields (Ninja reads them)
_.poster_url  # variable, kizuna/api/schemas.py
_.statements_url  # variable, kizuna/api/schemas.py
_.stream_url  # variable, kizuna/api/schemas.py
_.hidden  # variable, kizuna/community/api.py

# --- Read by templates
_.resume_elsewhere  # property, kizuna/learning/selectors.py (learning/home.html)
_.points_max  # property, kizuna/scenarios/models.py (scenarios/_comparison.html)
_.is_late  # property, kizuna/updates/selectors.py (updates/_rates_table.html)
_.is_essay  # variable, kizuna/assessments/selectors/attempts.py: result.html
_.grade_pending  # variable, kizuna/assessments/selectors/attempts.py: result.html
_.grader_feedback  # variable, kizuna/assessments/selectors/attempts.py: result.html
_.question_total  # property, kizuna/assessments/selectors/attempts.py: result.html
_.category_names  # attribute, kizuna/assessments/studio_views.py: studio_bank.html
_.unread_notifications  # variable, kizuna/accounts/models.py
_.minutes_per_rep  # property, kizuna/agreements/emails.py
_.now_note  # variable, kizuna/notifications/selectors.py
_.older_with_notes  # property, kizuna/notifications/selectors.py
_.course_rows  # property, kizuna/agreements/forms.py
_.sent_at  # variable, kizuna/agreements/models.py
_.active_days  # variable, kizuna/agreements/selectors.py
_.awaiting_acceptance  # property, kizuna/agreements/selectors.py
_.below_minimum  # property, kizuna/agreements/selectors.py
_.href  # property, kizuna/agreements/selectors.py
_.is_current_month  # variable, kizuna/agreements/selectors.py
_.active_reps_7d  # variable, kizuna/analytics/selectors.py
_.avg_minutes_per_rep  # property, kizuna/analytics/selectors.py
_.new_topics  # variable, kizuna/assessments/forms.py
_.tolerance  # variable, kizuna/assessments/forms.py
_.is_running  # property, kizuna/assessments/models.py
_.published_by  # variable, kizuna/assessments/models.py
_.correct_count  # variable, kizuna/assessments/selectors.py
_.explanation_html  # variable, kizuna/assessments/selectors.py
_.flag_messages  # property, kizuna/assessments/selectors.py
_.mean_percent  # property, kizuna/assessments/selectors.py
_.pass_percent  # property, kizuna/assessments/selectors.py
_.right_answer  # variable, kizuna/assessments/selectors.py
_.text_html  # variable, kizuna/assessments/selectors.py
_.your_answer  # variable, kizuna/assessments/selectors.py
_.type_label  # attribute, kizuna/assessments/studio_views.py
_.new_topic_tags  # variable, kizuna/catalog/forms.py
_.changed_in_version  # variable, kizuna/certification/models.py
_.last_status_code  # variable, kizuna/certification/models.py
_.requirement_labels  # variable, kizuna/certification/models.py
_.secret_rotated_at  # variable, kizuna/certification/models.py
_.expiring_soon  # variable, kizuna/certification/selectors.py
_.holder_count  # attribute, kizuna/certification/views.py
_.agreement  # property, kizuna/coaching/services.py
_.compared  # variable, kizuna/coaching/services.py
_.edited_at  # variable, kizuna/community/models.py
_.image_height  # variable, kizuna/community/models.py
_.image_width  # variable, kizuna/community/models.py
_.author_profile  # attribute, kizuna/community/selectors.py
_.can_vote  # attribute, kizuna/community/selectors.py
_.capped  # property, kizuna/community/selectors.py
_.has_next  # variable, kizuna/community/selectors.py
_.has_previous  # variable, kizuna/community/selectors.py
_.upvotes  # variable, kizuna/community/selectors.py
_.voted  # attribute, kizuna/community/selectors.py
_.lesson_kind  # variable, kizuna/feedback/forms.py
_.answered_by  # variable, kizuna/feedback/models.py
_.content_at  # variable, kizuna/feedback/models.py
_.content_by  # variable, kizuna/feedback/models.py
_.handled_at  # variable, kizuna/feedback/models.py
_.handled_by  # variable, kizuna/feedback/models.py
_.handled_note  # variable, kizuna/feedback/models.py
_.answered_percent  # property, kizuna/feedback/selectors.py
_.did_not_work  # property, kizuna/feedback/selectors.py
_.celebrating  # property, kizuna/gamification/selectors.py
_.my_points  # variable, kizuna/gamification/selectors.py
_.my_rank  # variable, kizuna/gamification/selectors.py
_.to_next  # property, kizuna/gamification/selectors.py
_.has_sales  # variable, kizuna/kpis/selectors.py
_.appointment_change  # property, kizuna/kpis/talent.py
_.duration_label  # property, kizuna/media/models.py
_.body_text  # property, kizuna/notifications/models.py
_.is_coach  # property, kizuna/orgs/models.py
_.lines_with_problems  # property, kizuna/orgs/services.py
_.person_organization  # variable, kizuna/privacy/models.py
_.lessons_label  # property, kizuna/records/selectors.py
_.minutes_label  # property, kizuna/records/selectors.py
_.in_progress  # property, kizuna/scenarios/analytics_selectors.py
_.last_played  # variable, kizuna/scenarios/analytics_selectors.py
_.question_correct  # variable, kizuna/scenarios/forms.py
_.question_text  # variable, kizuna/scenarios/forms.py
_.score_max  # variable, kizuna/scenarios/models.py
_.score_raw  # variable, kizuna/scenarios/models.py
_.average  # variable, kizuna/surveys/selectors.py
_.passives  # variable, kizuna/surveys/selectors.py
_.ack_due_on  # variable, kizuna/updates/forms.py
_.option_1  # variable, kizuna/updates/forms.py
_.option_2  # variable, kizuna/updates/forms.py
_.option_3  # variable, kizuna/updates/forms.py
_.option_4  # variable, kizuna/updates/forms.py
_.photo_height  # variable, kizuna/updates/models.py
_.photo_width  # variable, kizuna/updates/models.py
_.ack_rate  # property, kizuna/updates/selectors.py
_.correct_rate  # property, kizuna/updates/selectors.py
_.partner_label  # variable, kizuna/updates/selectors.py
_.pending_truncated  # property, kizuna/updates/selectors.py
_.seen_rate  # property, kizuna/updates/selectors.py

# --- Fields of dataclasses, forms and other classes read by name (pygal, serializers, ...)
_.anonymized_at  # attribute, kizuna/agreements/services.py
_.x_labels  # attribute, kizuna/analytics/views.py
_.last_answered_at  # attribute, kizuna/assessments/projections.py
_.score_sum  # attribute, kizuna/assessments/projections.py
_.submit_statement  # attribute, kizuna/assessments/projections.py
_.x2_sum  # attribute, kizuna/assessments/projections.py
_.x_sum  # attribute, kizuna/assessments/projections.py
_.xy_sum  # attribute, kizuna/assessments/projections.py
_.y2_sum  # attribute, kizuna/assessments/projections.py
_.y_sum  # attribute, kizuna/assessments/projections.py
_.recorded  # variable, kizuna/assessments/services.py
_.lapses  # attribute, kizuna/assessments/spacing.py
_.delivered_at  # attribute, kizuna/certification/services.py
_.edited_by  # attribute, kizuna/community/services.py
_.resolved_by  # attribute, kizuna/community/services.py
_.search_tokens  # attribute, kizuna/community/services.py
_.date_joined  # attribute, kizuna/demo/services.py
_.image_upload  # variable, kizuna/gamification/forms.py
_.courses_completed  # attribute, kizuna/kpis/projections.py
_.start_date  # variable, kizuna/live/forms.py
_.start_time  # variable, kizuna/live/forms.py
_.attendance_source  # attribute, kizuna/live/services.py
_.recording_course  # attribute, kizuna/live/services.py
_.registered_at  # attribute, kizuna/live/services.py
_.ready_at  # attribute, kizuna/media/services.py
_.video_codec  # variable, kizuna/media/services.py
_.data_type  # attribute, kizuna/ops/spreadsheets.py
_.last_lesson_id  # attribute, kizuna/records/projections.py
_.question_explanation  # variable, kizuna/scenarios/forms.py
_.question_options  # variable, kizuna/scenarios/forms.py
_.score_min  # attribute, kizuna/scenarios/projections.py
_.score_scaled  # attribute, kizuna/scenarios/projections.py

# --- Kept although no production code calls them (tests, bench/ or a README use them): the lead decides
_.partner_summary  # function, kizuna/analytics/selectors.py: only the tests call it
_.gift_parse  # function, kizuna/assessments/gift.py: tests call it; documented
_.bank_ensure  # function, kizuna/assessments/services.py: documented contract (assessments/README.md)
_.gift_import  # function, kizuna/assessments/services.py: documented contract (README)
_.retrievability  # function, kizuna/assessments/spacing.py: documented contract (assessments/README.md)
_.interaction_type  # variable, kizuna/assessments/types/base.py: only the tests read it
_.rep_held_certifications  # function, kizuna/certification/selectors.py: only the tests call it
_.rebuild_index  # function, kizuna/community/search.py: tests and bench/ call it
_.FIELDS  # variable, kizuna/kpis/services.py: only the tests read it
_.cross_agency_allowed  # function, kizuna/orgs/sharing.py: documented contract (coaching and gamification READMEs)
_.COURSE_PROGRESS_FIELDS  # variable, kizuna/records/projections.py: only the tests read it
_.LEARNING_DAY_FIELDS  # variable, kizuna/records/projections.py: only the tests read it
_.LESSON_PROGRESS_FIELDS  # variable, kizuna/records/projections.py: only the tests read it
_.drain  # function, kizuna/records/projector.py: only the tests call it
_.pending_failures  # function, kizuna/records/projector.py: only the tests call it
_.scenario_map_svg  # function, kizuna/scenarios/graphmap.py: documented contract (scenarios/README.md)
_.ATTEMPT_FIELDS  # variable, kizuna/scenarios/projections.py: only the tests read it
_.COUNT_FIELDS  # variable, kizuna/scenarios/projections.py: only the tests read it
_.alignment_by_rep  # function, kizuna/scenarios/selectors.py: only the tests call it; documented
_.alignment_by_team  # function, kizuna/scenarios/selectors.py: only the tests call it; documented
_.version_graph  # function, kizuna/scenarios/selectors.py: documented contract (scenarios/README.md)
_.RECEIPT_FIELDS  # variable, kizuna/updates/projections.py: only the tests read it
_.Viewer  # type alias, kizuna/orgs/access.py: read by mypy in quoted annotations
_.deleted_at  # field, kizuna/scim/models.py: read by the selectors' lookups (scim__deleted_at__isnull)
_.SocialAccountAdapter  # class, kizuna/sso/adapter.py: named by settings.SOCIALACCOUNT_ADAPTER
_.pre_social_login  # method, kizuna/sso/adapter.py: called by django-allauth
_.setup_open_steps  # function, kizuna/orgs/readiness.py: only the tests and the demo's test call it
_.HOW_TO  # variable, kizuna/support/models.py: a Ticket.Category member, chosen through its choices
_.PROBLEM  # variable, kizuna/support/models.py: a Ticket.Category member, chosen through its choices
_.AGREEMENT  # variable, kizuna/support/models.py: a Ticket.Category member, chosen through its choices
_.closed_at  # variable, kizuna/support/models.py: when a ticket was closed, ordered on and exported
_.answered_recently  # variable, kizuna/support/selectors.py: shown by support/queue.html
SessionLifetimeMiddleware  # class, kizuna/accounts/middleware.py: settings.MIDDLEWARE
AuditRequestMiddleware  # class, kizuna/audit/middleware.py: settings.MIDDLEWARE
SecondFactorMiddleware  # class, kizuna/orgs/middleware.py: settings.MIDDLEWARE
_.authority  # variable, kizuna/learning/schemas.py: the xAPI statement out (set by statement_to_xapi)
_.confirmed_by  # variable, kizuna/freshness/models.py: shown by freshness/edit.html
_.flag_reason  # variable, kizuna/freshness/models.py: shown by freshness/studio.html and edit.html
_.changed_by  # variable, kizuna/freshness/models.py: who marked a product changed (kept with the change)
_.reopened_count  # variable, kizuna/freshness/models.py: how many certifications a product change reopened
_.score_percent  # property, kizuna/freshness/selectors.py: shown by freshness/studio.html and edit.html
_.is_stale  # property, kizuna/freshness/selectors.py: shown by freshness/studio.html and edit.html
_.edit_url  # variable, kizuna/freshness/sources.py: linked from freshness/edit.html
_.KPI  # variable, kizuna/stories/models.py: a nomination source (?source=kpi from the KPI board)
_.RISING_TALENT  # variable, kizuna/stories/models.py: a nomination source (?source=rising_talent)
_.nominated_by  # variable, kizuna/stories/models.py: shown by stories/story.html
_.nominated_at  # variable, kizuna/stories/models.py: shown by stories/story.html and stories.html
_.interviewed_at  # variable, kizuna/stories/models.py: orders the authors' list, shown by stories/story.html
_.drafted_by  # variable, kizuna/stories/models.py: who made the lesson (kept with the story)
_.drafted_at  # variable, kizuna/stories/models.py: when the lesson was made (kept with the story)
_.PasswordResetForm  # class, kizuna/accounts/forms.py: named by settings.ACCOUNT_FORMS
_.PasswordResetKeyForm  # class, kizuna/accounts/forms.py: named by settings.ACCOUNT_FORMS
_.used_at  # field, kizuna/sso/models.py: when a SAML assertion was used, for support (the admin shows it)
_.KizunaSAMLProvider  # class, kizuna/sso/saml.py: named by settings.SOCIALACCOUNT_PROVIDERS["saml"]
_.package  # variable, kizuna/sso/saml.py: read by django-allauth to find the provider's URLs
_.PACKAGE  # variable, kizuna/catalog/models.py: a LessonKind member, registered by kizuna/packages/kinds.py
_.SCORM2004  # variable, kizuna/packages/models.py: a Standard member, chosen by the manifest's schemaversion
_.file_count  # field, kizuna/packages/models.py: what an import stored, for the admin and support
_.commits  # field, kizuna/packages/models.py: how many commits a SCO state took, for support
_.correct_share  # variable, kizuna/packages/selectors.py: shown by packages/items.html
_.as_experiment  # form field, kizuna/catalog/forms.py: read through cleaned_data by the assignments view
_.WAVES  # variable, kizuna/kpis/models.py: an Experiment.Design member, chosen through its choices
_.contaminated_reps  # variable, kizuna/kpis/rollouts.py: which reps are contaminated, read by the tests
HealthMiddleware  # class, kizuna/ops/health.py: settings.MIDDLEWARE
_.temporary_file_path  # method, kizuna/ops/storage.py: called by FileSystemStorage to move instead of copy
_.stored_list  # function, kizuna/ops/storage.py: only the tests call it, to look into the storage
_.storage_from_url  # function, kizuna/ops/storage_url.py: called by settings.py (and the tests)
_.storage_origins  # function, kizuna/ops/storage_url.py: called by settings.py (CSP)
_.last_sent_at  # variable, kizuna/notifications/models.py: written by update(), read in the admin and export
_.coaching  # variable, kizuna/notifications/models.py: a push switch, read by getattr(preferences, category)
_.suggestion  # variable, kizuna/plain/analysis.py: a Finding's field, in plain_check's JSON (asdict) and plain/_assist.html
_.blocking  # property, kizuna/plain/analysis.py: read by plain/_assist.html
_.words_not_understood  # variable, kizuna/freshness/selectors.py: shown by freshness/studio.html and edit.html
_.released_at  # variable, kizuna/kpis/models.py: read as a column (rollouts.experiment_unit_table, values_list)
_.CMI5  # variable, kizuna/catalog/models.py: a LessonKind member, registered by kizuna/cmi5/kinds.py
_.BROWSE  # variable, kizuna/cmi5/models.py: a cmi5 launchMode value (the spec's vocabulary; launches use Normal)
_.REVIEW  # variable, kizuna/cmi5/models.py: a cmi5 launchMode value (the spec's vocabulary; launches use Normal)
_.failed_at  # field, kizuna/cmi5/models.py: shown by cmi5/_lesson_cmi5.html ("not passed yet")
_.fetch_hash  # field, kizuna/cmi5/models.py: looked up by the fetch URL (kizuna/cmi5/launching.py)
_.authors_notified_at  # variable, kizuna/plain/models.py: the hourly notice's batch mark, filtered and written by name
_.exemplary_course  # variable, kizuna/coaching/models.py: a model take's course, set before publishing and filtered on by name (coaching.selectors.takes_published_as)
_.explained_at  # variable, kizuna/plain/models.py: written by update(), shown by plain/word_inbox.html and exported
_.claimed_at  # variable, kizuna/ops/rqueue.py: a TaskRun's field, saved with update_fields and read by the reaper's filter
_.job_class  # variable, kizuna/ops/rqueue.py: RQ's Worker reads its class attributes
_.queue_class  # variable, kizuna/ops/rqueue.py: RQ's Worker reads its class attributes
_._do_submit_job  # method, kizuna/ops/schedule.py: APScheduler's executor calls it

# --- kizuna/lrs: the forwarder's state, read by its page (lrs/forwarder.html) and by queries (lease_until__lt)
_.sent_count  # variable, kizuna/lrs/models.py: shown on the forwarder page
_.refused_count  # variable, kizuna/lrs/models.py: shown on the forwarder page
_.last_attempt_at  # variable, kizuna/lrs/models.py: shown on the forwarder page
_.last_error_at  # variable, kizuna/lrs/models.py: shown on the forwarder page
_.lease_until  # variable, kizuna/lrs/models.py: read through lease_until__isnull/__lt
_.V2  # variable, kizuna/lrs/models.py: a choice of LrsForwarder.Version
_.metadata_refreshed_at  # variable, kizuna/sso/models.py: shown by sso/provider_edit.html (when the IdP's metadata was last read)

# --- The outbound guard (kizuna/ops/outbound.py): attributes urllib3, requests and allauth read by name
_.ConnectionCls  # variable: urllib3's pool builds its connections from it
_.pool_classes_by_scheme  # attribute: urllib3's PoolManager picks the pool class from it
_.trust_env  # attribute: requests reads it (no proxy from the environment)
_.get_requests_session  # method, kizuna/sso/adapter.py: allauth fetches OIDC documents and tokens with it
XapiMiddleware  # class, kizuna/lrs/middleware.py: settings.MIDDLEWARE

# --- Read back through vars() by kizuna/lrs/selectors.py (set on the credential by one hand-written query)
_.mirror_through  # attribute, kizuna/lrs/selectors.py: the LRS mirror's position read with the credential
_.forwarders_exist  # attribute, kizuna/lrs/selectors.py: whether any forwarder exists, read with the credential

# --- Used by migrations (which vulture does not read)
AddIndexWithoutLock  # class, kizuna/ops/migration_operations.py: kizuna/lrs/migrations/0009_statement_write_cost.py
