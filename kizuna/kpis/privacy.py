"""KPIs' part of a person's data: their sales figures and the learning/completion figures beside them."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import CourseCompletion, Experiment, ExperimentUnit, KpiTarget, LearningMonth, Recognition, SalesFigure

register(
    Contribution(
        app="kpis",
        parts=(
            Part("sales_figures", SalesFigure, "rep", Erasure.KEEP, omit=("updated_by",)),
            Part("kpi_learning_months", LearningMonth, "rep", Erasure.KEEP),
            Part("kpi_course_completions", CourseCompletion, "rep", Erasure.KEEP),
            Part("recognitions", Recognition, "rep", Erasure.KEEP),
            # Which arm or wave an experiment's draw gave the person: kept so the experiment can still be read.
            Part("experiment_draws", ExperimentUnit, "rep", Erasure.KEEP, omit=("statement_id",)),
        ),
        excluded=(
            Excluded(SalesFigure, "updated_by", STAFF_ACTION),
            Excluded(KpiTarget, "set_by", STAFF_ACTION),
            Excluded(Experiment, "started_by", STAFF_ACTION),
        ),
    )
)
